package ai.onestep.conf;

import ai.onestep.util.Check;

import java.util.List;

/** The {@code method} section: which objective, schedule, noise-index sampler, weighting and distance. */
public record MethodSettings(String kind, String schedule, int s0, int s1, double mu0, int points, double decay,
                             String indices, String weighting, String distance, double huberC, String lpipsWeights,
                             String solver, String teacher, double teacherEma, double pMean, double pStd,
                             double sigmaData) {
    public MethodSettings {
        oneOf("method.kind", kind, List.of("edm", "ct", "cd"));
        oneOf("method.schedule", schedule, List.of("ict", "cm", "fixed"));
        oneOf("method.indices", indices, List.of("lognormal", "uniform"));
        oneOf("method.weighting", weighting, List.of("ict", "uniform"));
        oneOf("method.distance", distance, List.of("l2", "l1", "pseudo-huber", "lpips"));
        oneOf("method.solver", solver, List.of("heun", "euler"));
        Check.that(huberC >= 0, "method.huberC must be >= 0 (got " + huberC + ")");
        Check.that(teacherEma >= 0 && teacherEma < 1, "method.teacherEma must be in [0, 1) (got " + teacherEma + ")");
        Check.that(!kind.equals("cd") || !teacher.isBlank(), "method.teacher must name the EDM teacher's checkpoint for cd");
        Check.that(!distance.equals("lpips") || !lpipsWeights.isBlank(),
                "method.lpipsWeights must name the LPIPS weights file for distance = lpips");
        Check.positive("method.sigmaData", sigmaData);
        Check.positive("method.pStd", pStd);
    }

    static void oneOf(String field, String value, List<String> allowed) {
        Check.that(allowed.contains(value), field + " must be one of " + String.join(", ", allowed) + " (got '" + value + "')");
    }
}
