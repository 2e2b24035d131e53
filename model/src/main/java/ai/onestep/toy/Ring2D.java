package ai.onestep.toy;

import ai.onestep.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2-D toy distribution of the tests and of the {@code toy2d} preset: a mixture of 8 Gaussians on the unit circle
 * (std 0.05), and the mode-coverage measure used as its quality bar.
 */
public final class Ring2D {
    public static final int MODES = 8;
    public static final double STD = 0.05;

    private Ring2D() {
    }

    /** n points, [n, 2]. */
    public static INDArray sample(int n, Rng rng) {
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * rng.nextInt(MODES) / MODES;
            xy[2 * i] = (float) (Math.cos(a) + STD * rng.gaussian());
            xy[2 * i + 1] = (float) (Math.sin(a) + STD * rng.gaussian());
        }
        return Nd4j.createFromArray(xy).reshape(n, 2);
    }

    /** Fraction of samples within 0.15 of a mode, and the share of all samples each mode receives. */
    public record Coverage(double near, double[] share) {
        public double minShare() {
            return java.util.Arrays.stream(share).min().orElse(0);
        }

        public double maxShare() {
            return java.util.Arrays.stream(share).max().orElse(1);
        }

        @Override
        public String toString() {
            return String.format("near=%.3f shares=[%.3f..%.3f]", near, minShare(), maxShare());
        }
    }

    public static Coverage coverage(INDArray samples) {
        int n = (int) samples.size(0);
        int[] counts = new int[MODES];
        int near = 0;
        for (int i = 0; i < n; i++) {
            double x = samples.getDouble(i, 0);
            double y = samples.getDouble(i, 1);
            for (int m = 0; m < MODES; m++) {
                double a = 2 * Math.PI * m / MODES;
                if (Math.hypot(x - Math.cos(a), y - Math.sin(a)) < 0.15) {
                    counts[m]++;
                    near++;
                    break;
                }
            }
        }
        double[] share = new double[MODES];
        for (int m = 0; m < MODES; m++) {
            share[m] = counts[m] / (double) n;
        }
        return new Coverage(near / (double) n, share);
    }
}
