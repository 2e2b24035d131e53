package ai.onestep.nn;

import ai.onestep.util.Rng;

/** How a parameter starts. The defaults follow PyTorch's, so a freshly built network matches the originals' statistics. */
public sealed interface Init {
    void fill(float[] dst, int from, int length, Rng rng);

    static Init zeros() {
        return new Constant(0f);
    }

    static Init ones() {
        return new Constant(1f);
    }

    /** PyTorch's default for Conv/Linear weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    static Init fanIn(long fanIn) {
        return new Uniform((float) (1.0 / Math.sqrt(fanIn)));
    }

    static Init normal(double std) {
        return new Normal((float) std);
    }

    record Constant(float value) implements Init {
        public void fill(float[] dst, int from, int length, Rng rng) {
            java.util.Arrays.fill(dst, from, from + length, value);
        }
    }

    record Uniform(float bound) implements Init {
        public void fill(float[] dst, int from, int length, Rng rng) {
            for (int i = from; i < from + length; i++) {
                dst[i] = (float) ((rng.uniform() * 2 - 1) * bound);
            }
        }
    }

    record Normal(float std) implements Init {
        public void fill(float[] dst, int from, int length, Rng rng) {
            for (int i = from; i < from + length; i++) {
                dst[i] = (float) (rng.gaussian() * std);
            }
        }
    }
}
