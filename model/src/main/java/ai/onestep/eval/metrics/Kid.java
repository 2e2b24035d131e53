package ai.onestep.eval.metrics;

import ai.onestep.util.Check;
import ai.onestep.util.Rng;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs", eq. 4): the unbiased estimate of the
 * squared MMD with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3, averaged over {@code subsets} random
 * subsets of {@code subsetSize} vectors from each set (the defaults of the reference implementation: 100 of 1,000).
 */
public final class Kid {
    private Kid() {
    }

    public static double of(double[][] real, double[][] fake, int subsets, int subsetSize, Rng rng) {
        int m = Math.min(subsetSize, Math.min(real.length, fake.length));
        Check.that(m >= 2, "KID needs at least 2 vectors in each set");
        int d = real[0].length;
        Check.that(fake[0].length == d, "feature dimensions differ: " + d + " vs " + fake[0].length);
        double sum = 0;
        for (int s = 0; s < subsets; s++) {
            int[] ri = rng.permutation(real.length);
            int[] fi = rng.permutation(fake.length);
            double kxx = 0, kyy = 0, kxy = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    kxy += kernel(real[ri[i]], fake[fi[j]], d);
                    if (j != i) {
                        kxx += kernel(real[ri[i]], real[ri[j]], d);
                        kyy += kernel(fake[fi[i]], fake[fi[j]], d);
                    }
                }
            }
            sum += (kxx + kyy) / ((double) m * (m - 1)) - 2 * kxy / ((double) m * m);
        }
        return sum / subsets;
    }

    static double kernel(double[] x, double[] y, int d) {
        double dot = 0;
        for (int i = 0; i < d; i++) {
            dot += x[i] * y[i];
        }
        double k = dot / d + 1;
        return k * k * k;
    }
}
