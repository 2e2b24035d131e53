package ai.onestep.eval.metrics;

import ai.onestep.util.Check;

/**
 * Mean and covariance of a set of feature vectors (rows), accumulated in double precision: what FID and sFID
 * compare. The covariance is the unbiased one (divisor n - 1), as numpy's {@code np.cov(..., rowvar=False)} in the
 * reference evaluators.
 */
public record FeatureStats(double[] mean, double[][] covariance, long count) {
    public FeatureStats {
        Check.that(count >= 2, "feature statistics need at least 2 vectors (got " + count + ")");
        Check.that(covariance.length == mean.length, "covariance size differs from mean size");
    }

    /** @param features n x d */
    public static FeatureStats of(double[][] features) {
        int n = features.length;
        Check.that(n >= 2, "feature statistics need at least 2 vectors (got " + n + ")");
        int d = features[0].length;
        double[] mean = new double[d];
        for (double[] f : features) {
            Check.that(f.length == d, "feature vectors differ in length");
            for (int j = 0; j < d; j++) {
                mean[j] += f[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] f : features) {
            for (int j = 0; j < d; j++) {
                c[j] = f[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new FeatureStats(mean, cov, n);
    }
}
