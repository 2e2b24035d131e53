package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
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

    static Stream<String> presets() throws IOException {
        try (Stream<Path> s = Files.list(Presets.dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf") && !n.startsWith("log4j"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("presets")
    void dryRunPasses(String preset) {
        CliRun r = OneStepCliTest.run("train", "--conf", Presets.dir().resolve(preset).toString(), "--dry-run");
        assertEquals(0, r.code(), preset + ": " + r.err());
        assertTrue(r.out().contains("parameters "), r.out());
        CliRun i = OneStepCliTest.run("inspect", "--conf", Presets.dir().resolve(preset).toString());
        assertEquals(0, i.code(), preset + ": " + i.err());
        assertTrue(i.out().matches("(?s).*parameters [0-9,]+ .*"), i.out());
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
