package ai.onestep.conf;

import ai.onestep.testing.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presets from inside the jar (preset:NAME) and from Hadoop URIs, includes read from the same place. */
class PresetSourceTest {

    @TempDir
    Path tmp;

    @Test
    void everyPresetOfConfShipsInTheJarAndResolvesLikeTheFile() throws Exception {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(Presets.dir())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf") && !n.equals("log4j2.properties"))
                    .forEach(n -> files.add(n.substring(0, n.length() - ".conf".length())));
        }
        assertEquals(files, PresetSource.bundled());
        Locations hadoop = Locations.LOCAL;
        for (String name : List.of("imagenet64-ct", "bedroom256-cd-lpips", "mnist-ct", "toy2d-ct")) {
            List<String> lpips = List.of("method.lpipsWeights=/nowhere/lpips.npz");
            assertEquals(TrainConfig.load(Presets.dir().resolve(name + ".conf"), lpips).json(),
                    TrainConfig.load("preset:" + name, lpips, hadoop).json(), name);
        }
    }

    @Test
    void aPresetAtAUriReadsItsIncludesFromBesideIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("presets/include"));
        Files.writeString(dir.resolve("net.conf"), "network { kind = mlp }\nrun { workers = 3 }\n");
        Files.writeString(tmp.resolve("presets/mine.conf"), "include \"include/net.conf\"\nrun { steps = 77 }\n"
                + "data { kind = toy2d }\n");
        TrainConfig cfg = TrainConfig.load(tmp.resolve("presets/mine.conf").toUri().toString(), List.of(),
                Locations.LOCAL);
        assertEquals(77, cfg.run().steps());
        assertEquals(3, cfg.run().workers());
        assertEquals("mine", PresetSource.name(tmp.resolve("presets/mine.conf").toUri().toString()));
        assertEquals("imagenet64-ct", PresetSource.name("preset:imagenet64-ct"));
        // HOCON's qualified include still means an absolute file
        Path wrapper = tmp.resolve("wrapper.conf");
        Files.writeString(wrapper, "include file(\"" + tmp.resolve("presets/mine.conf") + "\")\nrun { steps = 5 }\n");
        assertEquals(5, TrainConfig.load(wrapper.toString(), List.of(), Locations.LOCAL).run().steps());
        Files.writeString(wrapper, "include \"presets/none.conf\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load(wrapper.toString(), List.of(), Locations.LOCAL));
        assertTrue(e.getMessage().contains("config file does not exist"), e.getMessage());
    }

    @Test
    void missingPresetsAreOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load("preset:imagenet64-cx", List.of(), Locations.LOCAL));
        assertTrue(e.getMessage().contains("no preset 'imagenet64-cx' in the jar"), e.getMessage());
        assertTrue(e.getMessage().contains("imagenet64-ct"), "suggests the near name: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load(tmp.resolve("none.conf").toUri().toString(), List.of(), Locations.LOCAL));
        assertTrue(e.getMessage().startsWith("config file does not exist: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.load(tmp.resolve("none.conf").toString(), List.of(), Locations.LOCAL));
        assertTrue(e.getMessage().startsWith("config file does not exist: "), e.getMessage());
    }

    @Test
    void lpipsWeightsAreReadThroughHadoop() throws Exception {
        Path npz = tmp.resolve("partial.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("unrelated.npy"));
            ai.onestep.ckpt.Npy.writeFloats(zip, new long[]{1}, new float[]{1f});
            zip.closeEntry();
        }
        for (String[] c : new String[][]{{npz.toUri().toString(), "lack features.0.weight"},
                {tmp.resolve("none.npz").toUri().toString(), "not found: file:"}}) {
            TrainConfig cfg = TrainConfig.load("preset:imagenet64-cd-lpips", List.of("method.lpipsWeights=" + c[0]),
                    Locations.LOCAL);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cfg.method(Locations.LOCAL));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void refusalsKeepTheirCause() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.parse("run { steps = ", List.of()));
        assertTrue(e.getMessage().startsWith("config: "), e.getMessage());
        assertTrue(e.getCause() instanceof com.typesafe.config.ConfigException, "cause: " + e.getCause());
    }
}
