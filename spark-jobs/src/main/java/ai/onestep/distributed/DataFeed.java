package ai.onestep.distributed;

import ai.onestep.data.stream.Position;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One worker's minibatches, resumable from a {@link Position}. */
interface DataFeed extends AutoCloseable {
    /** A minibatch (x, labels or null). */
    record Minibatch(INDArray x, int[] labels) {
    }

    Minibatch next();

    /** The position after the last minibatch returned. */
    Position position();

    @Override
    void close();
}
