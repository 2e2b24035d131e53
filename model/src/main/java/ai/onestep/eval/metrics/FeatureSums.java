package ai.onestep.eval.metrics;

import ai.onestep.util.Check;

import java.io.Serializable;

/**
 * Sufficient statistics of a feature set (count, sum, sum of outer products), in double precision: what a cluster
 * aggregates so the driver can form FID's mean and covariance without collecting the features. Merging is exact
 * addition, so any partitioning of the same features gives the same {@link FeatureStats} up to rounding.
 */
public final class FeatureSums implements Serializable {
    private static final long serialVersionUID = 1L;
    private long count;
    private final double[] sum;
    private final double[] outer; // upper triangle, row-major, a <= b

    public FeatureSums(int dims) {
        Check.that(dims >= 1, "feature dimension must be >= 1");
        this.sum = new double[dims];
        this.outer = new double[dims * (dims + 1) / 2];
    }

    public int dims() {
        return sum.length;
    }

    public long count() {
        return count;
    }

    /** Adds feature vectors (rows). */
    public FeatureSums add(float[][] features) {
        int d = sum.length;
        double[] f = new double[d];
        for (float[] row : features) {
            Check.that(row.length == d, "feature vector of length " + row.length + ", expected " + d);
            for (int j = 0; j < d; j++) {
                f[j] = row[j];
                sum[j] += f[j];
            }
            int k = 0;
            for (int a = 0; a < d; a++) {
                double fa = f[a];
                for (int b = a; b < d; b++) {
                    outer[k++] += fa * f[b];
                }
            }
            count++;
        }
        return this;
    }

    /** Adds another set's sums into this one. */
    public FeatureSums merge(FeatureSums o) {
        Check.that(o.sum.length == sum.length, "merging sums of different dimension");
        for (int j = 0; j < sum.length; j++) {
            sum[j] += o.sum[j];
        }
        for (int k = 0; k < outer.length; k++) {
            outer[k] += o.outer[k];
        }
        count += o.count;
        return this;
    }

    /** Mean and unbiased covariance: cov = (sum x x^T - n m m^T) / (n - 1). */
    public FeatureStats stats() {
        Check.that(count >= 2, "feature statistics need at least 2 vectors (got " + count + ")");
        int d = sum.length;
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / count;
        }
        double[][] cov = new double[d][d];
        int k = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double c = (outer[k++] - count * mean[a] * mean[b]) / (count - 1);
                cov[a][b] = c;
                cov[b][a] = c;
            }
        }
        return new FeatureStats(mean, cov, count);
    }
}
