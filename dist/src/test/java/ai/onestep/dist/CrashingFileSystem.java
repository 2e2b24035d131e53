package ai.onestep.dist;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.net.URI;

/**
 * Fault injection for the cluster tests, kept out of the product: the local file system under the scheme
 * {@code crashfs://}, which halts the process (as kill -9 would) when asked to create a file whose path contains
 * matches {@code onestep.crash.pathRegex} (a Hadoop property). A driver given a {@code crashfs://} run directory, this class on its
 * class path and {@code spark.hadoop.fs.crashfs.impl} dies in the middle of writing that checkpoint.
 */
public final class CrashingFileSystem extends RawLocalFileSystem {
    private static final URI NAME = URI.create("crashfs:///");
    private java.util.regex.Pattern crashAt;

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        String regex = conf.get("onestep.crash.pathRegex");
        crashAt = regex == null ? null : java.util.regex.Pattern.compile(regex);
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "crashfs";
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        haltAt(f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        haltAt(f);
        return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    private void haltAt(Path f) {
        if (crashAt != null && crashAt.matcher(f.toString()).matches()) {
            Runtime.getRuntime().halt(137);
        }
    }
}
