package ai.onestep.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's {@code conf/} directory (the presets), found from any module's working directory. */
public final class Presets {
    private Presets() {
    }

    /** The {@code conf/} directory of the checkout the tests run in. */
    public static Path dir() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf").resolve("include"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no conf/ with presets above " + System.getProperty("user.dir"));
        }
        return p.resolve("conf");
    }

    /** A preset file by name, without {@code .conf}: {@code file("toy2d-ct")}. */
    public static Path file(String name) {
        Path f = dir().resolve(name + ".conf");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no preset " + f);
        }
        return f;
    }
}
