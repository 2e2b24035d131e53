package ai.onestep.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every preset in conf/ resolves, validates and passes --dry-run (its plan fits its stated device memory). */
class PresetsTest {
    static final Path CONF = Path.of(System.getProperty("user.dir")).resolveSibling("conf");

    static Stream<String> presets() throws IOException {
        try (Stream<Path> s = Files.list(CONF)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf") && !n.startsWith("log4j"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("presets")
    void dryRunPasses(String preset) {
        PrepCliTest.Out r = PrepCliTest.run("train", "--conf", CONF.resolve(preset).toString(), "--dry-run");
        assertEquals(0, r.run().code(), preset + ": " + r.run().err());
        assertTrue(r.stdout().contains("parameters "), r.stdout());
        PrepCliTest.Out i = PrepCliTest.run("inspect", "--conf", CONF.resolve(preset).toString());
        assertEquals(0, i.run().code(), preset + ": " + i.run().err());
        assertTrue(i.stdout().matches("(?s).*parameters [0-9,]+ .*"), i.stdout());
    }

    @org.junit.jupiter.api.Test
    void everyExperimentOfThePaperHasAPreset() throws IOException {
        List<String> all = presets().toList();
        for (String data : List.of("imagenet64", "bedroom256", "cat256")) {
            for (String m : List.of("edm", "cd-l2", "cd-lpips", "ct")) {
                assertTrue(all.contains(data + "-" + m + ".conf"), data + "-" + m);
            }
        }
        for (String small : List.of("imagenet64-ict", "toy2d-ct", "digits8-ct", "mnist-edm", "mnist-cd", "mnist-ct",
                "mnist-ict", "fashion-mnist-ct")) {
            assertTrue(all.contains(small + ".conf"), small);
        }
    }
}
