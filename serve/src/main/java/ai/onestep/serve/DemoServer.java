package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.ckpt.CorruptCheckpointException;
import ai.onestep.image.Pixels;
import ai.onestep.generate.EditSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The demo's web server: the page under {@code /} and the HTTP API under {@code /api} (docs/demo.md). Binds to
 * the given host (127.0.0.1 unless told otherwise); every refusal is a JSON {@code {"error": ...}} with its status, and
 * a failing request never stops the server.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECONDS_HEADER = "X-OneStep-Seconds";
    static final String DESCRIPTION_HEADER = "X-OneStep-Description";

    private final Studio studio;
    private final Limits limits;
    private final Gate gate;
    private final BiConsumer<String, String> audit;
    private final Javalin app;
    private final String host;

    /**
     * @param audit receives (client address, what was refused) for refused checkpoint names; it is logged as well
     */
    DemoServer(Studio studio, Limits limits, String host, int port, BiConsumer<String, String> audit) {
        this.studio = studio;
        this.limits = limits;
        this.gate = new Gate(limits.queue());
        this.audit = audit;
        this.host = host;
        this.app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = limits.maxRequestBytes();
            config.jetty.multipartConfig.maxFileSize(limits.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(limits.maxRequestBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, limits.maxUploadBytes()),
                    SizeUnit.BYTES);
            config.startup.showJavalinBanner = false;
            config.staticFiles.add("/public", Location.CLASSPATH);
            config.routes.get("/api/checkpoints", this::checkpoints);
            config.routes.get("/api/limits", ctx -> json(ctx, limits));
            config.routes.post("/api/generate", this::generate);
            config.routes.post("/api/edit", this::edit);
            config.routes.exception(ApiException.class, (e, ctx) -> refuse(ctx, e));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(CorruptCheckpointException.class, (e, ctx) -> fail(ctx, e, "damaged checkpoint: "));
            config.routes.exception(Exception.class, (e, ctx) -> fail(ctx, e, "internal error: "));
        });
    }

    /** Starts a server (port 0 = a free port). */
    public static DemoServer start(Studio studio, Limits limits, String host, int port, BiConsumer<String, String> audit) {
        DemoServer s = new DemoServer(studio, limits, host, port, audit);
        s.app.start();
        return s;
    }

    public int port() {
        return app.port();
    }

    public String host() {
        return host;
    }

    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private void checkpoints(Context ctx) throws IOException {
        json(ctx, studio.checkpoints());
    }

    private void generate(Context ctx) throws Exception {
        requireSmallBody(ctx);
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not JSON: " + Catalog.printable(e.getMessage().lines().findFirst().orElse("")));
        }
        GenerateRequest req = GenerateRequest.parse(body);
        CheckpointInfo info = studio.checkpoint(req.checkpoint());
        var spec = req.spec(info, limits);
        try (Gate.Ticket t = gate.enter(info.name())) {
            send(ctx, studio.generate(info, req.weights(), spec));
        }
    }

    private void edit(Context ctx) throws Exception {
        requireSmallBody(ctx);
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest("send the edit as multipart/form-data (image, mask, task, checkpoint, ...)");
        }
        parseMultipart(ctx);
        CheckpointInfo info = studio.checkpoint(ctx.formParam("checkpoint"));
        EditSpec spec;
        try {
            spec = new EditSpec(EditSpec.Task.parse(String.valueOf(ctx.formParam("task"))), ints(ctx, "ts"),
                    integer(ctx, "repeats", 1), integer(ctx, "grid", 40), ctx.formParam("sigma") == null ? null : number(ctx, "sigma"),
                    integer(ctx, "num", 8), integer(ctx, "seed", 0), integer(ctx, "seed2", 1),
                    ctx.formParam("class") == null || ctx.formParam("class").isEmpty() ? null : integer(ctx, "class", 0), true);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (spec.evaluations(info.classes()) > limits.maxSteps() || spec.num() > limits.maxImages()) {
            throw ApiException.badRequest("edits are capped at " + limits.maxSteps() + " network evaluations and "
                    + limits.maxImages() + " images" + (spec.classSearch(info.classes()) == null ? ""
                    : "; without a class, trying all " + info.classes() + " costs " + spec.evaluations(info.classes())
                    + " (send class)"));
        }
        if (info.resolution() > limits.maxResolution()) {
            throw ApiException.badRequest(info.name() + " is larger than this server's cap of " + limits.maxResolution());
        }
        Pixels image = upload(ctx, "image", spec.task().needsInput());
        Pixels mask = upload(ctx, "mask", spec.task() == EditSpec.Task.INPAINT);
        Weights weights;
        try {
            String ema = ctx.formParam("ema");
            weights = Weights.parse("ema", ema == null || ema.isBlank() ? null : ema);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try (Gate.Ticket t = gate.enter(info.name())) {
            send(ctx, studio.edit(info, weights, spec, image, mask));
        }
    }

    /** Parses the form once, turning Jetty's size refusals into 413 and malformed bodies into 400. */
    private void parseMultipart(Context ctx) {
        try {
            ctx.uploadedFileMap();
        } catch (Exception e) { // Jetty's ServletException arrives undeclared (Javalin is Kotlin)
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("max file size exceeded") || m.contains("max request size exceeded")
                        || m.contains("exceeds max")) {
                    throw new ApiException(413, "upload exceeds the cap of " + limits.maxUploadBytes() + " bytes per image");
                }
            }
            throw ApiException.badRequest("malformed multipart form (" + Catalog.printable(String.valueOf(e.getMessage())) + ")");
        }
    }

    private Pixels upload(Context ctx, String field, boolean required) throws IOException {
        UploadedFile f = ctx.uploadedFile(field);
        if (f == null) {
            if (required) {
                throw ApiException.badRequest("this task needs an uploaded '" + field + "'");
            }
            return null;
        }
        return Uploads.decode(f, field, limits);
    }

    private void requireSmallBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > limits.maxRequestBytes()) {
            throw new ApiException(413, "request body of " + length + " bytes; the cap is " + limits.maxRequestBytes());
        }
    }

    private static void send(Context ctx, Rendered r) {
        ctx.header(SECONDS_HEADER, String.format(Locale.ROOT, "%.3f", r.seconds()));
        ctx.header(DESCRIPTION_HEADER, r.description());
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("image/png").result(r.png());
    }

    private void refuse(Context ctx, ApiException e) {
        if (e instanceof Catalog.RefusedName) {
            String who = ctx.ip();
            LOG.warn("serve: refused {} {} from {}: {}", ctx.method(), ctx.path(), who, e.getMessage());
            audit.accept(who, e.getMessage());
        }
        if (e.status() == 413) {
            // the refused body may be partly unread: the connection ends with this answer, so no client reuses it
            // (without this, a pooled connection's next request could meet a closed socket)
            ctx.header("Connection", "close");
        }
        error(ctx, e.status(), e.getMessage());
    }

    private static void fail(Context ctx, Exception e, String prefix) {
        LOG.error("serve: {} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, prefix + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                + Catalog.printable(e.getMessage())));
    }

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        ctx.status(status);
        json(ctx, body);
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> ints(Context ctx, String field) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                out.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(field + " must be a comma-separated list of integers");
            }
        }
        return out;
    }

    private static int integer(Context ctx, String field, int dflt) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field + " must be an integer (got " + Catalog.printable(v) + ")");
        }
    }

    private static double number(Context ctx, String field) {
        String v = ctx.formParam(field);
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.badRequest(field + " must be a number (got " + Catalog.printable(String.valueOf(v)) + ")");
        }
    }

    @Override
    public void close() {
        app.stop();
        studio.close();
    }
}
