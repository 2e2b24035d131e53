package ai.onestep.eval.features;

import ai.onestep.util.Check;

/**
 * What an extractor gives for a batch of images (rows = images): pooled features (FID, precision/recall, KID),
 * spatial features (sFID) or null, and class probabilities (Inception Score, confident fraction) or null.
 */
public record Features(float[][] pool, float[][] spatial, float[][] probs) {
    public Features {
        Check.that(pool != null && pool.length > 0, "features need at least one image");
        Check.that(spatial == null || spatial.length == pool.length, "one spatial vector per image");
        Check.that(probs == null || probs.length == pool.length, "one probability vector per image");
    }

    public int count() {
        return pool.length;
    }
}
