package ai.onestep.schedule;

import ai.onestep.util.Rng;

/**
 * Chooses the adjacent pair (t_n, t_{n+1}) of an ascending grid to train on. Returns n in 0..N-2, the index of the
 * smaller noise level in the ascending grid.
 */
public interface NoiseIndexSampler {
    int sample(double[] ascending, Rng rng);
}
