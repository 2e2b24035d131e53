package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.SkippedImageException;

import java.io.IOException;

/** Executor-side access to a source's items; opened once per task and closed after it. */
public interface ItemReader extends AutoCloseable {
    /** The decoded image of one item, or why it is skipped. IOException means the storage failed (task retried). */
    ImageDecoder.Decoded read(Item item) throws SkippedImageException, IOException;

    @Override
    void close() throws IOException;
}
