package ai.onestep.conf;

import ai.onestep.util.Check;

import java.util.List;

/** The {@code optimizer} section. */
public record OptimizerSettings(String kind, double lr, double clipNorm, String schedule) {
    public OptimizerSettings {
        MethodSettings.oneOf("optimizer.kind", kind, List.of("adam", "radam"));
        Check.that(lr > 0 && lr < 1, "optimizer.lr must be in (0, 1) (got " + lr + ")");
        MethodSettings.oneOf("optimizer.schedule", schedule, List.of("constant", "cosine"));
        Check.that(clipNorm >= 0, "optimizer.clipNorm must be >= 0 (got " + clipNorm + ")");
    }
}
