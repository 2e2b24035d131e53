package ai.onestep.nd4j;

import ai.onestep.testing.Presets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ND4J performance work is reached through FastPaths only: no main source outside this package names another of its classes. */
class FastPathsBoundaryTest {
    private static final Pattern USE = Pattern.compile("ai\\.onestep\\.nd4j\\.(\\w+)");

    @Test
    void onlyFastPathsIsUsedOutsideThePackage() throws IOException {
        Path root = Presets.dir().getParent();
        List<String> found;
        int scanned;
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.toString().contains("/target/"))
                    .filter(f -> !f.getParent().endsWith(Path.of("ai", "onestep", "nd4j")))
                    .toList();
            scanned = sources.size();
            found = sources.stream().flatMap(f -> uses(f).stream()).toList();
        }
        assertTrue(scanned > 100, "scanned " + scanned + " sources under " + root);
        assertEquals(List.of(), found);
    }

    private static List<String> uses(Path f) {
        try {
            Matcher m = USE.matcher(Files.readString(f));
            return m.results().map(r -> r.group(1)).filter(c -> !c.equals("FastPaths"))
                    .map(c -> f.getFileName() + " uses " + c).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
