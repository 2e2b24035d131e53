package ai.onestep.optim;

import ai.onestep.util.Check;

/** The learning rate as a function of the 1-based step t: constant, or cosine decay to zero over a run. */
public sealed interface LearningRate {
    double at(long t);

    /** The base (peak) rate, for logs. */
    double base();

    static LearningRate constant(double lr) {
        return new Constant(lr);
    }

    /** lr * (1 + cos(pi * min(t, total) / total)) / 2 (Loshchilov & Hutter 2017, SGDR, without restarts). */
    static LearningRate cosine(double lr, long total) {
        return new Cosine(lr, total);
    }

    record Constant(double base) implements LearningRate {
        public Constant {
            Check.positive("lr", base);
        }

        @Override
        public double at(long t) {
            return base;
        }
    }

    record Cosine(double base, long total) implements LearningRate {
        public Cosine {
            Check.positive("lr", base);
            Check.that(total >= 1, "cosine decay needs total steps >= 1 (got " + total + ")");
        }

        @Override
        public double at(long t) {
            return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, total) / total));
        }
    }
}
