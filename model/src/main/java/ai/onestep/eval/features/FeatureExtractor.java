package ai.onestep.eval.features;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns images into the features the evaluation metrics compare. Implementations may hold graphs: close them. */
public interface FeatureExtractor extends AutoCloseable {
    /** A short name for reports ("classifier-256 (8x8x1)", "inception-v3 pool_3"). */
    String name();

    /** @param images (N, C, H, W) in [-1, 1], as samplers produce them */
    Features extract(INDArray images);

    @Override
    default void close() {
    }
}
