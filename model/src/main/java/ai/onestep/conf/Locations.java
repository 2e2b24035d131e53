package ai.onestep.conf;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens the files a configuration names (presets, their includes, LPIPS weights). {@link #LOCAL} reads local paths
 * and {@code file:} URIs; the Spark jobs pass one that reads any Hadoop URI.
 */
@FunctionalInterface
public interface Locations {
    /** Opens {@code location}; {@link FileNotFoundException} when nothing is there. */
    InputStream open(String location) throws IOException;

    /** Local paths and {@code file:} URIs. */
    Locations LOCAL = location -> {
        URI uri = URI.create(location.replace(" ", "%20"));
        Path path = "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(location);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(location);
        }
    };
}
