package ai.onestep.files;

import ai.onestep.conf.Locations;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;

/**
 * Configuration files and weights at any Hadoop URI ({@code file://}, {@code hdfs://}, {@code s3a://}); a path
 * without a scheme is local, whatever the cluster's default file system.
 */
public final class HadoopLocations implements Locations {
    private final Configuration conf;

    public HadoopLocations(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public InputStream open(String location) throws IOException {
        Path path = path(location);
        return path.getFileSystem(conf).open(path);
    }

    private static Path path(String location) {
        if (new Path(location).toUri().getScheme() != null) {
            return new Path(location);
        }
        return new Path(java.nio.file.Path.of(location).toAbsolutePath().toUri());
    }
}
