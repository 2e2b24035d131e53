package ai.onestep.eval.metrics;

import ai.onestep.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation metrics against closed forms. */
class MetricsTest {
    static double[][] gaussian(long seed, int n, double[] mean, double[] std) {
        Rng rng = Rng.of(seed);
        double[][] x = new double[n][mean.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mean.length; j++) {
                x[i][j] = mean[j] + std[j] * rng.gaussian();
            }
        }
        return x;
    }

    @Test
    void frechetDistanceMatchesTheClosedFormForDiagonalCovariances() {
        // for diagonal S1, S2: d^2 = |mu1 - mu2|^2 + sum (sqrt(s1) - sqrt(s2))^2
        double[][] c1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 0.25}};
        double[][] c2 = {{1, 0, 0}, {0, 9, 0}, {0, 0, 0.25}};
        FeatureStats a = new FeatureStats(new double[]{0, 1, 2}, c1, 100);
        FeatureStats b = new FeatureStats(new double[]{1, 1, 0}, c2, 100);
        double want = 1 + 4 + (2 - 1) * (2 - 1) + (1 - 3) * (1 - 3) + 0;
        assertEquals(want, Frechet.distance(a, b), 1e-9);
        assertEquals(Frechet.distance(a, b), Frechet.distance(b, a), 1e-9);
        assertEquals(0, Frechet.distance(a, a), 1e-9);
    }

    @Test
    void frechetDistanceHandlesRotatedAndRankDeficientCovariances() {
        // rotating both Gaussians by the same orthogonal map leaves the distance unchanged
        double t = 0.7;
        double[][] r = {{Math.cos(t), -Math.sin(t)}, {Math.sin(t), Math.cos(t)}};
        double[][] c1 = rotate(new double[][]{{4, 0}, {0, 1}}, r);
        double[][] c2 = rotate(new double[][]{{1, 0}, {0, 0}}, r); // rank 1
        double got = Frechet.distance(new FeatureStats(new double[]{0, 0}, c1, 10),
                new FeatureStats(new double[]{0, 0}, c2, 10));
        assertEquals((2 - 1) * (2 - 1) + 1, got, 1e-9);
        // and sample statistics of one distribution against a shifted copy recover the shift
        double[][] x = gaussian(1, 4000, new double[]{0, 0, 0}, new double[]{1, 2, 3});
        double[][] y = gaussian(2, 4000, new double[]{0.5, 0, 0}, new double[]{1, 2, 3});
        assertEquals(0.25, Frechet.distance(FeatureStats.of(x), FeatureStats.of(y)), 0.1);
    }

    static double[][] rotate(double[][] c, double[][] r) {
        int d = c.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        out[i][j] += r[i][a] * c[a][b] * r[j][b];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void inceptionScoreIsOneForConstantPredictionsAndKForConfidentBalancedOnes() {
        double[][] flat = new double[120][4];
        double[][] sharp = new double[120][4]; // each split of 12 holds every class 3 times
        for (int i = 0; i < 120; i++) {
            java.util.Arrays.fill(flat[i], 0.25);
            sharp[i][i % 4] = 1;
        }
        assertEquals(1.0, InceptionScore.of(flat, 10), 1e-12);
        assertEquals(4.0, InceptionScore.of(sharp, 10), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new double[5][4], 10));
    }

    @Test
    void kidIsNearZeroForOneDistributionAndGrowsWithTheShift() {
        double[] mean = {0, 0, 0, 0};
        double[] std = {1, 1, 1, 1};
        double[][] x = gaussian(3, 600, mean, std);
        double same = Kid.of(x, gaussian(4, 600, mean, std), 10, 200, Rng.of(5));
        double shifted = Kid.of(x, gaussian(6, 600, new double[]{1, 0, 0, 0}, std), 10, 200, Rng.of(5));
        assertTrue(Math.abs(same) < 0.02, "same distribution: " + same);
        assertTrue(shifted > 0.1, "shifted: " + shifted);
        // unbiased: two tiny identical-point sets give exactly 0
        double[][] p = {{1, 2}, {1, 2}, {1, 2}};
        assertEquals(0, Kid.of(p, p, 1, 3, Rng.of(1)), 1e-12);
    }

    @Test
    void kidMatchesTheClosedFormForOneDimensionalGaussians() {
        // d = 1, k(x, y) = (xy + 1)^3. For independent x ~ N(a, 1), y ~ N(b, 1), s = xy has E s = ab,
        // E s^2 = (1 + a^2)(1 + b^2), E s^3 = (a^3 + 3a)(b^3 + 3b), so E k = E s^3 + 3 E s^2 + 3 E s + 1 and
        // MMD^2 = E k(a, a) + E k(b, b) - 2 E k(a, b): 4 + 32 - 2 * 7 = 22 for a = 0, b = 1.
        double want = expectedCubicKernel(0, 0) + expectedCubicKernel(1, 1) - 2 * expectedCubicKernel(0, 1);
        assertEquals(22, want, 1e-12);
        double got = Kid.of(gaussian(11, 4000, new double[]{0}, new double[]{1}),
                gaussian(12, 4000, new double[]{1}, new double[]{1}), 40, 1000, Rng.of(13));
        assertEquals(want, got, 0.1 * want, "KID against the closed form");
    }

    private static double expectedCubicKernel(double a, double b) {
        double s1 = a * b;
        double s2 = (1 + a * a) * (1 + b * b);
        double s3 = (a * a * a + 3 * a) * (b * b * b + 3 * b);
        return s3 + 3 * s2 + 3 * s1 + 1;
    }

    @Test
    void precisionAndRecallSeparateMissingModesFromExtraOnes() {
        double[] std = {0.1, 0.1};
        double[][] real = concat(gaussian(7, 300, new double[]{0, 0}, std), gaussian(8, 300, new double[]{5, 5}, std));
        double[][] oneMode = gaussian(9, 600, new double[]{0, 0}, std);
        PrecisionRecall pr = PrecisionRecall.of(real, oneMode, 3);
        assertTrue(pr.precision() > 0.9, "samples all on a real mode: " + pr);
        assertTrue(pr.recall() < 0.6 && pr.recall() > 0.4, "half the real modes missed: " + pr);
        PrecisionRecall off = PrecisionRecall.of(real, gaussian(10, 600, new double[]{20, -20}, std), 3);
        assertEquals(0, off.precision(), 0);
        assertEquals(0, off.recall(), 0);
    }

    static double[][] concat(double[][] a, double[][] b) {
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
