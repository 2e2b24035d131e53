package ai.onestep.ckpt;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.TinyNets;
import ai.onestep.nn.UNet;
import ai.onestep.schedule.CmAdaptiveSchedule;
import ai.onestep.schedule.UniformIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    static Trainer trainer(long seed) {
        Method ct = new Method.ConsistencyTraining(new CmAdaptiveSchedule(2, 150, 0.9, 1000), new UniformIndex(),
                Weighting.UNIFORM, PseudoHuber.ict());
        TrainerConfig cfg = new TrainerConfig(ct, TrainerConfig.OptimizerKind.RADAM, 1e-3, 1.0, List.of(0.9, 0.99),
                seed, DataType.FLOAT);
        return new Trainer(cfg, new UNet(TinyNets.unetA()), null, null);
    }

    static INDArray batch(Rng rng) {
        return Tensors.gaussian(rng, DataType.FLOAT, 4, 2, 8, 8).muli(0.5);
    }

    static final int[] LABELS = {0, 1, 2, 1};

    @Test
    void roundTripIsBitExactAndResumeContinuesIdentically(@TempDir Path dir) throws IOException {
        LocalFiles files = new LocalFiles(dir);
        try (Trainer a = trainer(5); Trainer b = trainer(5)) {
            Rng data = Rng.of(9);
            for (int i = 0; i < 3; i++) {
                a.step(batch(data), LABELS);
            }
            String saved = CheckpointIO.save(files, "run", a.checkpoint(3, Map.of("epoch", 0), "{\"k\":1}"));
            assertEquals("run/step-000000003", saved);
            assertEquals(saved, CheckpointIO.latest(files, "run").orElseThrow());
            Checkpoint c = CheckpointIO.load(files, saved, a.trainStep().params().specs(), DataType.FLOAT);
            assertArrayEquals(a.params().toFloatVector(), c.model().toFloatVector());
            assertArrayEquals(a.target().toFloatVector(), c.target().toFloatVector());
            assertArrayEquals(a.emas().get(0.99).toFloatVector(), c.emas().get(0.99).toFloatVector());
            assertArrayEquals(a.optimizer().state().toFloatVector(), c.optimizer().toFloatVector());
            assertEquals(3, c.step());
            assertEquals("{\"k\":1}", c.configJson());
            assertEquals(0, ((Number) c.extra().get("epoch")).intValue());

            b.restore(c);
            Rng dataA = Rng.of(77);
            Rng dataB = Rng.of(77);
            for (int i = 0; i < 2; i++) {
                assertEquals(a.step(batch(dataA), LABELS), b.step(batch(dataB), LABELS), 0.0, "loss after resume");
            }
            assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());
            assertArrayEquals(a.emas().get(0.9).toFloatVector(), b.emas().get(0.9).toFloatVector());
        }
    }

    @Test
    void aFileSystemErrorWhileLookingForCheckpointsIsNotTakenForNone(@TempDir Path dir) throws IOException {
        LocalFiles files = new LocalFiles(dir);
        String saved;
        try (Trainer a = trainer(5)) {
            saved = CheckpointIO.save(files, "run", a.checkpoint(3, Map.of(), "{}"));
        }
        Files.delete(dir.resolve("run/latest")); // the fallback scan over step directories decides
        CheckpointFiles flaky = new CheckpointFiles() {
            public java.io.OutputStream create(String p) throws IOException { return files.create(p); }
            public java.io.InputStream open(String p) throws IOException { return files.open(p); }
            public boolean exists(String p) throws IOException {
                if (p.contains("step-")) {
                    throw new IOException("connection reset");
                }
                return files.exists(p);
            }
            public void rename(String from, String to) throws IOException { files.rename(from, to); }
            public List<String> list(String d) throws IOException { return files.list(d); }
            public void deleteRecursively(String p) throws IOException { files.deleteRecursively(p); }
            public void mkdirs(String p) throws IOException { files.mkdirs(p); }
            public String describe(String p) { return files.describe(p); }
        };
        IOException e = assertThrows(IOException.class, () -> CheckpointIO.latest(flaky, "run"));
        assertEquals("connection reset", e.getMessage());
        assertEquals(saved, CheckpointIO.latest(files, "run").orElseThrow());
    }

    @Test
    void truncatedTamperedAndForeignCheckpointsAreRefused(@TempDir Path dir) throws IOException {
        LocalFiles files = new LocalFiles(dir);
        try (Trainer a = trainer(6)) {
            a.step(batch(Rng.of(1)), LABELS);
            String saved = CheckpointIO.save(files, "run", a.checkpoint(1, Map.of(), "{}"));
            var layout = a.trainStep().params().specs();

            Path model = dir.resolve(saved).resolve("model.npz");
            byte[] original = Files.readAllBytes(model);
            try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
                f.seek(original.length / 2);
                f.write(original[original.length / 2] ^ 0x01);
            }
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointIO.load(files, saved, layout, DataType.FLOAT));
            assertTrue(e.getMessage().contains("model.npz"), e.getMessage());

            Files.write(model, java.util.Arrays.copyOf(original, original.length - 100));
            e = assertThrows(CorruptCheckpointException.class, () -> CheckpointIO.load(files, saved, layout,
                    DataType.FLOAT));
            assertTrue(e.getMessage().contains("model.npz"), e.getMessage());
            Files.write(model, original);

            Files.delete(dir.resolve(saved).resolve(CheckpointIO.CHECKSUMS));
            e = assertThrows(CorruptCheckpointException.class, () -> CheckpointIO.load(files, saved, layout,
                    DataType.FLOAT));
            assertTrue(e.getMessage().contains("not a complete checkpoint"), e.getMessage());
            assertTrue(CheckpointIO.latest(files, "run").isEmpty(), "an incomplete checkpoint is never 'latest'");
        }
        try (Trainer a = trainer(6)) {
            String saved = CheckpointIO.save(files, "run2", a.checkpoint(0, Map.of(), "{}"));
            var other = new UNet(TinyNets.unetB());
            var otherLayout = ai.onestep.nn.DenoiserGraph.layout(other).specs();
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointIO.load(files, saved, otherLayout, DataType.FLOAT));
            assertTrue(e.getMessage().contains("another architecture") || e.getMessage().contains("shape"),
                    e.getMessage());
        }
    }

    @Test
    void npyFilesFollowNumpysFormat(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.npy");
        try (var out = Files.newOutputStream(f)) {
            Npy.writeFloats(out, new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6});
        }
        byte[] b = Files.readAllBytes(f);
        assertEquals(0, (10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8)) % 64, "header padded to 64 bytes");
        String header = new String(b, 10, 60, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        try (var in = Files.newInputStream(f)) {
            Npy.Array a = Npy.read(in);
            assertArrayEquals(new long[]{2, 3}, a.shape());
            assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, a.floats());
        }
    }
}
