package ai.onestep.eval.metrics;

import ai.onestep.util.Check;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of balls around its
 * vectors with radius the distance to the k-th nearest neighbour in the same set (k = 3, as OpenAI's evaluator);
 * precision is the fraction of generated vectors inside the real manifold, recall the fraction of real vectors inside
 * the generated one. Exact pairwise distances (O(n^2 d)).
 */
public record PrecisionRecall(double precision, double recall) {
    public static PrecisionRecall of(double[][] real, double[][] fake, int k) {
        Check.that(real.length > k && fake.length > k, "precision/recall need more than k = " + k + " vectors per set");
        double[] realRadii = kthNeighbourDistances(real, k);
        double[] fakeRadii = kthNeighbourDistances(fake, k);
        return new PrecisionRecall(coverage(fake, real, realRadii), coverage(real, fake, fakeRadii));
    }

    /** Fraction of {@code queries} within radius[i] of some manifold[i]. */
    static double coverage(double[][] queries, double[][] manifold, double[] radii) {
        int inside = 0;
        for (double[] q : queries) {
            for (int i = 0; i < manifold.length; i++) {
                if (squared(q, manifold[i]) <= radii[i] * radii[i]) {
                    inside++;
                    break;
                }
            }
        }
        return inside / (double) queries.length;
    }

    /** Distance from each vector to its k-th nearest other vector of the same set. */
    static double[] kthNeighbourDistances(double[][] set, int k) {
        double[] out = new double[set.length];
        double[] d = new double[set.length];
        for (int i = 0; i < set.length; i++) {
            for (int j = 0; j < set.length; j++) {
                d[j] = i == j ? Double.POSITIVE_INFINITY : squared(set[i], set[j]);
            }
            double[] sorted = d.clone();
            java.util.Arrays.sort(sorted);
            out[i] = Math.sqrt(sorted[k - 1]);
        }
        return out;
    }

    static double squared(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
