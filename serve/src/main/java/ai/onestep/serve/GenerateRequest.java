package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.generate.SampleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON body of {@code POST /api/generate}:
 * {@code {"checkpoint": "digits", "sampler": "onestep"|"multistep"|"heun", "steps": 2, "ts": [0, 22, 39], "grid": 40,
 * "num": 16, "seed": 0, "ema": 0.9999 or "online", "class": 3}} (all but checkpoint optional).
 */
record GenerateRequest(String checkpoint, String sampler, int steps, List<Integer> ts, int grid, int num, long seed,
                       Weights weights, Integer label) {
    static final Set<String> FIELDS = Set.of("checkpoint", "sampler", "steps", "ts", "grid", "num", "seed", "ema", "class");
    static final Set<String> SAMPLERS = Set.of("onestep", "multistep", "heun");

    static GenerateRequest parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown field '" + Catalog.printable(f) + "' (fields: " + String.join(", ",
                        new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String sampler = text(json, "sampler", "onestep");
        if (!SAMPLERS.contains(sampler)) {
            throw ApiException.badRequest("sampler must be onestep, multistep or heun (got " + Catalog.printable(sampler) + ")");
        }
        List<Integer> ts = null;
        if (json.hasNonNull("ts")) {
            JsonNode a = json.get("ts");
            if (!a.isArray()) {
                throw ApiException.badRequest("ts must be a list of grid indices");
            }
            ts = new ArrayList<>();
            for (JsonNode n : a) {
                if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                    throw ApiException.badRequest("ts must be a list of integers");
                }
                ts.add(n.intValue());
            }
        }
        Weights weights = weights(json.hasNonNull("ema") ? json.get("ema") : null);
        Integer label = json.hasNonNull("class") ? integer(json, "class", 0) : null;
        return new GenerateRequest(text(json, "checkpoint", null), sampler, integer(json, "steps", 1), ts,
                integer(json, "grid", 40), integer(json, "num", 16), seed(json), weights, label);
    }

    /** The sampler spec, checked against the listed checkpoint and the server's caps. */
    SampleSpec spec(CheckpointInfo info, Limits limits) {
        boolean heun = sampler.equals("heun");
        if (heun != info.kind().equals("edm")) {
            throw ApiException.badRequest(heun ? info.name() + " is a consistency model (" + info.kind()
                    + "): use sampler onestep or multistep" : info.name() + " is an EDM teacher: use sampler heun");
        }
        if (num > limits.maxImages()) {
            throw ApiException.badRequest("num must be in 1.." + limits.maxImages() + " (got " + num + ")");
        }
        if (steps < 1) {
            throw ApiException.badRequest("steps must be at least 1 (got " + steps + ")");
        }
        int evaluations = sampler.equals("onestep") ? 1 : ts != null ? ts.size() : heun ? 2 * steps - 1 : steps;
        if (evaluations > limits.maxSteps() || steps > limits.maxSteps()) {
            throw ApiException.badRequest("steps are capped at " + limits.maxSteps() + " network evaluations per image (asked "
                    + Math.max(steps, evaluations) + ")");
        }
        if (grid > 10_000) {
            throw ApiException.badRequest("grid must be in 2..10000 (got " + grid + ")");
        }
        if (info.resolution() > limits.maxResolution()) {
            throw ApiException.badRequest(info.name() + " is " + info.resolution() + "x" + info.resolution()
                    + "; this server samples at most " + limits.maxResolution() + "x" + limits.maxResolution());
        }
        try {
            return new SampleSpec(heun, sampler.equals("onestep") ? 1 : steps, sampler.equals("onestep") ? null : ts, grid,
                    num, Math.min(num, 64), label, seed, true);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String text(JsonNode json, String field, String dflt) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return n.textValue();
    }

    private static int integer(JsonNode json, String field, int dflt) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badRequest(field + " must be an integer (got " + Catalog.printable(n.toString()) + ")");
        }
        return n.intValue();
    }

    /** "ema": a rate, or "online"; absent: the checkpoint's default weights. */
    private static Weights weights(JsonNode n) {
        if (n == null) {
            return new Weights.Default();
        }
        if (!n.isNumber() && !n.isTextual()) {
            throw ApiException.badRequest("ema must be an EMA rate or \"online\" (got " + Catalog.printable(n.toString()) + ")");
        }
        try {
            return Weights.parse("ema", n.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static double number(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (!n.isNumber()) {
            throw ApiException.badRequest(field + " must be a number (got " + Catalog.printable(n.toString()) + ")");
        }
        return n.doubleValue();
    }

    private static long seed(JsonNode json) {
        JsonNode n = json.get("seed");
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.badRequest("seed must be an integer (got " + Catalog.printable(n.toString()) + ")");
        }
        return n.longValue();
    }
}
