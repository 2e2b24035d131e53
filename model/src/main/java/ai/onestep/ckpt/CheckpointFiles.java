package ai.onestep.ckpt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The few file operations checkpoints need, relative to a run directory. The model module ships a local
 * implementation; the Spark jobs provide one over any Hadoop FileSystem URI.
 */
public interface CheckpointFiles {
    OutputStream create(String path) throws IOException;

    InputStream open(String path) throws IOException;

    boolean exists(String path) throws IOException;

    /** Atomic rename of a file or directory (the commit of a checkpoint). */
    void rename(String from, String to) throws IOException;

    /** Names of the entries directly under a directory (empty when it does not exist). */
    List<String> list(String dir) throws IOException;

    void deleteRecursively(String path) throws IOException;

    void mkdirs(String path) throws IOException;

    /** A human-readable location for messages. */
    String describe(String path);
}
