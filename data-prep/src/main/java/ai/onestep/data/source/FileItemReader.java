package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.SkippedImageException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/** Reads an item whose locator is a Hadoop path to one encoded image file. */
final class FileItemReader implements ItemReader {
    private final Configuration conf;
    private final ImageDecoder decoder;

    FileItemReader(Configuration conf, ImageDecoder decoder) {
        this.conf = conf;
        this.decoder = decoder;
    }

    @Override
    public ImageDecoder.Decoded read(Item item) throws SkippedImageException, IOException {
        Path p = new Path(item.locator());
        FileSystem fs = p.getFileSystem(conf);
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
            fs = local.getRaw(); // inputs carry no .crc files; skip the checksumming wrapper
        }
        long len = fs.getFileStatus(p).getLen();
        if (len > Integer.MAX_VALUE - 16) {
            throw new SkippedImageException(ai.onestep.image.Outcome.TOO_LARGE, item.key() + ": file of " + len + " bytes");
        }
        byte[] bytes = new byte[(int) len];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, bytes);
        }
        return decoder.decode(bytes, p.getName());
    }

    @Override
    public void close() {
    }
}
