package ai.onestep.conf;

import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Check;

/** The {@code optimizer} section. */
public record OptimizerSettings(TrainerConfig.OptimizerKind kind, double lr, double clipNorm, LrSchedule schedule) {
    /** The learning rate over the run: constant, or cosine decay to 0 at run.steps. */
    public enum LrSchedule { CONSTANT, COSINE }

    public OptimizerSettings {
        Check.that(kind != null && schedule != null, "optimizer: kind and schedule need a value");
        Check.that(lr > 0 && lr < 1, "optimizer.lr must be in (0, 1) (got " + lr + ")");
        Check.that(clipNorm >= 0, "optimizer.clipNorm must be >= 0 (got " + clipNorm + ")");
    }
}
