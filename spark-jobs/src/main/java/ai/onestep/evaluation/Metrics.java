package ai.onestep.evaluation;

import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.metrics.Frechet;
import ai.onestep.eval.metrics.InceptionScore;
import ai.onestep.eval.metrics.Kid;
import ai.onestep.eval.metrics.PrecisionRecall;
import ai.onestep.util.Rng;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The metrics of OpenAI's evaluator (which the Consistency Models paper used), from an {@link EvalPart} and a {@link Reference}. */
public final class Metrics {
    /** Names accepted by {@code --metrics}: fid, sfid, is, pr (precision and recall, k = 3), kid; "confident" comes with classifier features. */
    public static final List<String> NAMES = List.of("fid", "sfid", "is", "pr", "kid");

    private Metrics() {
    }

    public static boolean needsRows(Set<String> metrics) {
        return metrics.contains("pr") || metrics.contains("kid");
    }

    public static Map<String, Object> compute(EvalPart fake, Reference real, Set<String> metrics, long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (metrics.contains("fid")) {
            out.put("fid", Frechet.distance(real.pool(), fake.pool.stats()));
        }
        if (metrics.contains("sfid") && fake.spatial != null && real.spatial() != null) {
            out.put("sfid", Frechet.distance(real.spatial(), fake.spatial.stats()));
        }
        double[][] probs = fake.probRows();
        if (metrics.contains("is") && probs != null) {
            out.put("inception_score", InceptionScore.of(probs, Math.min(10, probs.length)));
        }
        if (probs != null) {
            out.put("confident", DigitScorer.scoreProbabilities(Nd4j.createFromArray(probs)).confident());
        }
        double[][] rows = fake.poolRows();
        if (metrics.contains("pr") && rows != null && real.poolRows() != null) {
            PrecisionRecall pr = PrecisionRecall.of(real.poolRows(), rows, 3);
            out.put("precision", pr.precision());
            out.put("recall", pr.recall());
        }
        if (metrics.contains("kid") && rows != null && real.poolRows() != null) {
            out.put("kid", Kid.of(real.poolRows(), rows, 100, 1000, Rng.of(seed)));
        }
        return out;
    }
}
