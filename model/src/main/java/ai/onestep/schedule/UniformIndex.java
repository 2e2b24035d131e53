package ai.onestep.schedule;

import ai.onestep.util.Rng;

/** n ~ U{1, ..., N-1} (Song et al. 2023, Algorithms 2 and 3). */
public record UniformIndex() implements NoiseIndexSampler {
    @Override
    public int sample(double[] ascending, Rng rng) {
        return rng.nextInt(ascending.length - 1);
    }
}
