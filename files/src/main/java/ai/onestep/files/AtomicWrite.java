package ai.onestep.files;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.UUID;

/** Writes a whole file under a temporary name next to it and commits it by rename: readers never see half a file. */
public final class AtomicWrite {
    private AtomicWrite() {
    }

    /**
     * The file system to write {@code path} through: for local paths the raw local file system, so no Hadoop
     * {@code .name.crc} file lands beside a user's file; any other file system as it is.
     */
    public static FileSystem outputFileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    public static void write(String uri, byte[] bytes, Configuration conf) throws IOException {
        Path target = new Path(uri);
        FileSystem fs = outputFileSystem(target, conf);
        Path parent = target.getParent();
        if (parent != null && !fs.exists(parent)) {
            throw new IllegalArgumentException("output directory does not exist: " + parent);
        }
        Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try (FSDataOutputStream o = fs.create(tmp, false)) {
            o.write(bytes);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("cannot write " + uri + ": " + e.getMessage(), e);
        }
        if (fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("could not rename " + tmp + " to " + target);
        }
    }
}
