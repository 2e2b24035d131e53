package ai.onestep.evaluation;

import ai.onestep.ckpt.Weights;

import java.util.List;
import java.util.Set;

/**
 * One evaluation, validated: which checkpoint and weights, against which reference, with which features and metrics,
 * at which step counts, and where the report goes.
 *
 * @param refNum     reference images used (null: as many as {@code num})
 * @param features   classifier, classifier:FILE.npz, inception:FILE.pb or onnx:FILE.onnx ({@link Extractors})
 * @param partitions Spark partitions (null: twice the default parallelism)
 * @param cacheDir   where reference statistics and trained classifiers are kept
 * @param out        output directory: report.json, samples.png and, with several steps and FID, fid-vs-steps.png
 */
public record EvalSpec(String checkpoint, Weights weights, String ref, Integer refNum, String features,
                       Set<String> metrics, List<Integer> steps, int num, int batch, long seed, Integer partitions,
                       String cacheDir, String out) {
    public EvalSpec {
        metrics = Set.copyOf(new java.util.LinkedHashSet<>(metrics));
        steps = List.copyOf(steps);
        for (String m : metrics) {
            if (!Metrics.NAMES.contains(m)) {
                throw new IllegalArgumentException("--metrics takes " + String.join(", ", Metrics.NAMES) + " (got " + m + ")");
            }
        }
        if (num < 2 || batch < 1) {
            throw new IllegalArgumentException("--num must be >= 2 and --batch >= 1 (got " + num + ", " + batch + ")");
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("--steps needs at least one step count");
        }
        for (int s : steps) {
            if (s < 1) {
                throw new IllegalArgumentException("--steps must be >= 1 (got " + s + ")");
            }
        }
        if (!features.equals("classifier") && !features.startsWith("classifier:") && !features.startsWith("inception:")
                && !features.startsWith("onnx:")) {
            throw new IllegalArgumentException("--features must be classifier, classifier:FILE.npz, "
                    + "inception:FILE.pb or onnx:FILE.onnx (got " + features + ")");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1 (got " + partitions + ")");
        }
    }
}
