package ai.onestep.cli;

import ai.onestep.ckpt.Npy;
import ai.onestep.testing.CliRun;
import ai.onestep.testing.OpenAiUnet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code onestep import} of the original UNet's state dict, then {@code onestep sample} on it: replayed noise gives
 * the original's samples, and a seed gives image i the same pixels whatever the batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportCliTest {
    @TempDir
    static Path tmp;
    Path checkpoint;
    Map<String, Npy.Array> io;

    @BeforeAll
    void importFixture() throws IOException {
        checkpoint = tmp.resolve("imported");
        CliRun r = OneStepCliTest.run("import", OpenAiUnet.file("imagenet64-like.pt").toString(), "--out",
                checkpoint.toString(), "--kind", "ct", "--image-size", "32", "--head-channels", "16");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("2,134,595 parameters"), r.out());
        try (InputStream in = Files.newInputStream(OpenAiUnet.file("imagenet64-like-io.npz"))) {
            io = Npy.readNpz(in);
        }
    }

    private Path writeNpz(Path p, Map<String, Npy.Array> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.writeFloats(z, e.getValue().shape(), e.getValue().floats());
                z.closeEntry();
            }
        }
        return p;
    }

    private static float[] image(float[] all, int i, int n) {
        int per = all.length / n;
        return java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
    }

    private static double maxAbs(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private Map<String, Npy.Array> sample(String... extra) throws IOException {
        Path out = tmp.resolve("s" + System.nanoTime() + ".npz");
        String[] args = new String[]{"sample", "--checkpoint", checkpoint.toString(), "--out", out.toString()};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        CliRun r = OneStepCliTest.run(all);
        assertEquals(0, r.code(), r.all());
        try (InputStream in = Files.newInputStream(out)) {
            return Npy.readNpz(in);
        }
    }

    /** The fixture's images 1 and 3 are class 1: sampled with the recorded draws, they are the original's. */
    @Test
    void replayedNoiseGivesTheOriginalsSamples() throws IOException {
        Path noise = writeNpz(tmp.resolve("noise.npz"), Map.of("x_T", io.get("sample_noise_T"),
                "z_1", io.get("sample_noise_1"), "z_2", io.get("sample_noise_2")));
        Map<String, Npy.Array> got = sample("--noise", noise.toString(), "--num", "4", "--class", "1", "--ts",
                "0,22,39", "--grid", "40");
        float[] want = io.get("sample_two_step_ts_0_22_39").floats();
        float[] x = got.get("x").floats();
        assertEquals(java.util.List.of(4L, 3L, 32L, 32L), java.util.Arrays.stream(got.get("x").shape()).boxed().toList());
        for (int i : new int[]{1, 3}) {
            double d = maxAbs(image(x, i, 4), image(want, i, 4));
            assertTrue(d < 1e-3, "image " + i + " off by " + d);
        }
        assertTrue(maxAbs(image(x, 0, 4), image(want, 0, 4)) > 1e-2, "image 0 is class 3 in the fixture, 1 here");
        assertEquals(4, got.get("arr_0").shape()[0], "the uint8 images beside the floats");
    }

    @Test
    void imageIDependsOnlyOnTheSeedAndI() throws IOException {
        float[] a = sample("--num", "3", "--batch", "2", "--seed", "5").get("x").floats();
        float[] b = sample("--num", "5", "--batch", "4", "--seed", "5").get("x").floats();
        float[] c = sample("--num", "3", "--batch", "3", "--seed", "6").get("x").floats();
        assertEquals(0, maxAbs(a, java.util.Arrays.copyOf(b, a.length)), 1e-4, "the same draws; only batch arithmetic rounds differently");
        assertTrue(maxAbs(a, c) > 1e-2, "another seed, other images");
    }

    @Test
    void badInputIsOneLineAndNothingWritten() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pt"), "hello");
        Path out = tmp.resolve("bad-out");
        CliRun r = OneStepCliTest.run("import", text.toString(), "--out", out.toString(), "--kind", "ct",
                "--image-size", "32");
        assertEquals(2, r.code(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("not a PyTorch file"), r.err());
        assertFalse(Files.exists(out));
        r = OneStepCliTest.run("import", OpenAiUnet.file("imagenet64-like.pt").toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--kind edm|cd|ct"), r.err());
        assertFalse(Files.exists(out));
        r = OneStepCliTest.run("import", OpenAiUnet.file("imagenet64-like.pt").toString(), "--out",
                checkpoint.toString(), "--kind", "ct", "--image-size", "32");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("exists; nothing written"), r.err());
        r = OneStepCliTest.run("import", OpenAiUnet.file("imagenet64-like.pt").toString(), "--out", out.toString(),
                "--kind", "gan", "--image-size", "32");
        assertEquals(2, r.code(), r.all());
        assertFalse(Files.exists(out));
        Path noise = writeNpz(tmp.resolve("z.npz"), Map.of("z_1", io.get("sample_noise_1")));
        r = OneStepCliTest.run("sample", "--checkpoint", checkpoint.toString(), "--noise", noise.toString(), "--out",
                tmp.resolve("never.npz").toString(), "--num", "4");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("no x_T"), r.err());
        assertFalse(Files.exists(tmp.resolve("never.npz")));
    }

    /** The imported checkpoint edits as any other: inpainting with a class, and interpolation between two seeds. */
    @Test
    void editsWithTheImportedCheckpoint() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 128);
                mask.setRGB(x, y, y >= 16 ? 0xffffff : 0);
            }
        }
        Path in = tmp.resolve("in.png");
        Path m = tmp.resolve("mask.png");
        javax.imageio.ImageIO.write(img, "png", in.toFile());
        javax.imageio.ImageIO.write(mask, "png", m.toFile());
        Path out = tmp.resolve("filled.png");
        CliRun r = OneStepCliTest.run("edit", "--task", "inpaint", "--checkpoint", checkpoint.toString(), "--input",
                in.toString(), "--mask", m.toString(), "--class", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        java.awt.image.BufferedImage filled = javax.imageio.ImageIO.read(out.toFile());
        assertEquals(img.getRGB(5, 3), filled.getRGB(5, 3), "the kept upper half is kept");
        Path path = tmp.resolve("path.png");
        r = OneStepCliTest.run("edit", "--task", "interpolate", "--checkpoint", checkpoint.toString(), "--num", "3",
                "--class", "1", "--out", path.toString(), "--no-clamp");
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.size(path) > 0);
    }
}
