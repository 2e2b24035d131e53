package ai.onestep.files;

import ai.onestep.ckpt.CheckpointFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** Checkpoint file operations under a run directory on any Hadoop FileSystem (file://, hdfs://, s3a://). */
public final class HadoopFiles implements CheckpointFiles {
    private final Path root;
    private final FileSystem fs;

    public HadoopFiles(String rootUri, Configuration conf) throws IOException {
        Path r = new Path(rootUri);
        this.fs = ai.onestep.files.AtomicWrite.outputFileSystem(r, conf);
        this.root = fs.makeQualified(r);
    }

    private Path p(String path) {
        return path.isEmpty() || path.equals(".") ? root : new Path(root, path);
    }

    @Override
    public OutputStream create(String path) throws IOException {
        return new BufferedOutputStream(fs.create(p(path), true), 1 << 16);
    }

    @Override
    public InputStream open(String path) throws IOException {
        return new BufferedInputStream(fs.open(p(path)), 1 << 16);
    }

    @Override
    public boolean exists(String path) throws IOException {
        return fs.exists(p(path));
    }

    /** Rename; a file target is replaced (HDFS's rename does not overwrite, so it is deleted first). */
    @Override
    public void rename(String from, String to) throws IOException {
        Path t = p(to);
        if (fs.exists(t) && fs.getFileStatus(t).isFile()) {
            fs.delete(t, false);
        }
        if (!fs.rename(p(from), t)) {
            throw new IOException("could not rename " + p(from) + " to " + t);
        }
    }

    @Override
    public List<String> list(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(p(dir))) {
                out.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return out;
        }
        return out;
    }

    @Override
    public void deleteRecursively(String path) throws IOException {
        fs.delete(p(path), true);
    }

    @Override
    public void mkdirs(String path) throws IOException {
        fs.mkdirs(p(path));
    }

    @Override
    public String describe(String path) {
        return p(path).toString();
    }

    /**
     * Opens an existing file for appending, or returns null where the file system cannot append (object stores
     * such as s3a://), so the caller rewrites the file instead.
     */
    public OutputStream appendOrNull(String path) throws IOException {
        try {
            return new BufferedOutputStream(fs.append(p(path)), 1 << 16);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    public String root() {
        return root.toString();
    }
}
