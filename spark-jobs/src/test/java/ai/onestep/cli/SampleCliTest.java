package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code onestep sample} and {@code onestep inspect} on a checkpoint trained here in a few steps. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleCliTest {
    @TempDir
    static Path tmp;
    String run;

    @BeforeAll
    void trainTwoSteps() throws IOException {
        Path idx = writeIdx(tmp.resolve("idx"), 40);
        String shards = tmp.resolve("shards").toString();
        assertEquals(0, OneStepCliTest.run("prep", "idx", "--input", idx.toString(), "--output", shards, "--resolution", "8",
                "--master", "local[1]").code());
        run = tmp.resolve("run").toString();
        String preset = Presets.file("digits8-ct").toString();
        CliRun t = OneStepCliTest.run("train", "--conf", preset, "--run-dir", run, "--master", "local[2]",
                "data.path=" + shards, "run.steps=2");
        assertEquals(0, t.code(), t.err());
    }

    /** n synthetic 8x8 images as an IDX file (train-images-idx3-ubyte) in dir. */
    static Path writeIdx(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve("train-images-idx3-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x803);
            d.writeInt(n);
            d.writeInt(8);
            d.writeInt(8);
            for (int i = 0; i < n * 64; i++) {
                d.write((i * 37) % 256);
            }
        }
        return dir;
    }

    @Test
    void oneStepTwoStepGridNpzAndDirectory() throws IOException {
        Path png = tmp.resolve("one.png");
        CliRun r = OneStepCliTest.run("sample", "--checkpoint", run, "--out", png.toString(), "--num", "9");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("EMA 0.99, 1 step"), r.out());
        BufferedImage g = ImageIO.read(png.toFile());
        assertEquals(3 * 8 + 4 * 2, g.getWidth()); // 9 images in 3 columns, 2-pixel gaps

        Path npz = tmp.resolve("two.npz");
        r = OneStepCliTest.run("sample", "--checkpoint", run, "--out", npz.toString(), "--num", "5", "--ts", "0,22,39");
        assertEquals(0, r.code(), r.err());
        try (ZipFile z = new ZipFile(npz.toFile())) {
            byte[] head = z.getInputStream(z.getEntry("arr_0.npy")).readNBytes(128);
            String header = new String(head, StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("'descr': '|u1'") && header.contains("'shape': (5, 8, 8, 1)"), header);
            assertEquals(null, z.getEntry("arr_1.npy"), "unconditional: no labels");
        }

        Path dir = tmp.resolve("each");
        Files.createDirectories(dir);
        r = OneStepCliTest.run("sample", "--checkpoint", run, "--out", dir + "/", "--num", "3", "--ema", "online");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("online parameters"), r.out());
        assertTrue(Files.exists(dir.resolve("000002.png")));
    }

    @Test
    void badSampleInputIsOneLine() {
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", run, "--out", tmp.resolve("x.png").toString(),
                "--steps", "0"), "steps must be >= 1");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", run, "--out", tmp.resolve("x.png").toString(),
                "--num", "200001"), "--num must be in 1..100000");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", tmp.resolve("nothing").toString(), "--out",
                tmp.resolve("x.png").toString()), "checkpoint does not exist");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", run, "--out",
                tmp.resolve("no/such/dir/x.png").toString()), "output directory does not exist");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", tmp.toString(), "--out",
                tmp.resolve("x.png").toString()), "is not a checkpoint");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", run, "--out", tmp.resolve("x.png").toString(),
                "--sampler", "heun"), "needs an EDM teacher");
        TrainCliTest.assertOneLine(OneStepCliTest.run("sample", "--checkpoint", run, "--out", tmp.resolve("x.png").toString(),
                "--ema", "0"), "'online' names the online parameters");
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }

    @Test
    void inspectsCheckpointsAndSchedules() throws IOException {
        CliRun r = OneStepCliTest.run("inspect", run);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters 755,009") && r.out().contains("integrity  ok"), r.out());
        CliRun s = OneStepCliTest.run("inspect", "--conf", Presets.file("imagenet64-ct").toString(),
                "--schedule", "0,1000,50000");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("k=0 N=2 mu=0.90250000"), s.out());
        assertTrue(s.out().contains("k=1000 N=8 mu=0.98545164"), s.out());
        // a tampered checkpoint is refused, naming the file (on a copy: the other tests sample the original)
        Path copy = tmp.resolve("tampered");
        try (var files = Files.walk(tmp.resolve("run"))) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(tmp.resolve("run").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path model = Files.list(copy.resolve("checkpoints")).filter(p -> p.getFileName().toString().startsWith("step-"))
                .findFirst().orElseThrow().resolve("model.npz");
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 1;
        Files.write(model, b);
        CliRun bad = OneStepCliTest.run("inspect", copy.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("model.npz"), bad.err());
    }
}
