package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;

/**
 * A dataset in its distributed form. {@link #list} runs on the driver; the source object travels to executors, which
 * {@link #open} a reader per task.
 */
public interface ImageSource extends Serializable {
    /** Short name written to the manifest ("imagenet", "lsun", "folder", "idx"). */
    String name();

    /** What the input URI holds; fails with one clear line when it is missing or empty. */
    Listing list(Configuration conf) throws IOException;

    ItemReader open(Configuration conf, ImageDecoder decoder) throws IOException;

    /** A one-line account of what would be read, for --dry-run. */
    String describe();
}
