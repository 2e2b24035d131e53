package ai.onestep.eval.metrics;

import ai.onestep.util.Check;

/**
 * Inception Score (Salimans et al. 2016): exp(E_x KL(p(y|x) || p(y))), computed on each of {@code splits} equal
 * consecutive parts of the samples and averaged, as OpenAI's evaluator does (10 splits).
 */
public final class InceptionScore {
    private InceptionScore() {
    }

    /** @param probs n x classes, each row a probability vector; returns the mean over splits. */
    public static double of(double[][] probs, int splits) {
        int n = probs.length;
        Check.that(splits >= 1 && n >= splits, "Inception Score needs at least " + splits + " samples (got " + n + ")");
        double total = 0;
        for (int s = 0; s < splits; s++) {
            int from = s * n / splits;
            int to = (s + 1) * n / splits;
            int k = probs[0].length;
            double[] marginal = new double[k];
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    marginal[c] += probs[i][c] / (to - from);
                }
            }
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    double p = probs[i][c];
                    if (p > 0) {
                        kl += p * (Math.log(p) - Math.log(marginal[c]));
                    }
                }
            }
            total += Math.exp(kl / (to - from));
        }
        return total / splits;
    }
}
