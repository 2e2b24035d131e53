package ai.onestep.util;

import java.util.SplittableRandom;

/**
 * An explicit, seeded random stream. Every random draw in OneStep goes through one of these; there is no global RNG
 * state. Independent streams are derived from (seed, step, worker, purpose) so a distributed round is deterministic.
 */
public final class Rng {
    private final SplittableRandom random;

    private Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static Rng of(long seed) {
        return new Rng(seed);
    }

    /** A stream determined only by its coordinates, e.g. {@code Rng.derive(seed, step, worker, PURPOSE_NOISE)}. */
    public static Rng derive(long seed, long... coordinates) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long c : coordinates) {
            h = mix(h ^ mix(c + 0x632BE59BD9B4E019L));
        }
        return new Rng(h);
    }

    private static long mix(long z) { // SplitMix64 finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public double uniform() {
        return random.nextDouble();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    public double gaussian() {
        return random.nextGaussian();
    }

    public float[] gaussian(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** Fisher-Yates permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
