package ai.onestep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code onestep quickstart} end to end on a small generated IDX set (the real MNIST run is the README's figure). */
class QuickstartTest {
    @TempDir
    Path tmp;

    static void writeIdx(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve("train-images-idx3-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x803);
            d.writeInt(n);
            d.writeInt(28);
            d.writeInt(28);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 784; p++) {
                    int y = p / 28;
                    int x = p % 28;
                    d.write(Math.abs(x - 14) + Math.abs(y - 14) < 4 + i % 10 ? 255 : 0); // a diamond per class
                }
            }
        }
        try (OutputStream o = Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x801);
            d.writeInt(n);
            for (int i = 0; i < n; i++) {
                d.write(i % 10);
            }
        }
    }

    @Test
    void trainsSamplesScoresAndReusesItsWork() throws IOException {
        Path data = tmp.resolve("idx");
        writeIdx(data, 300);
        Path out = tmp.resolve("qs");
        String conf = TrainCliTest.PRESET.replace("toy2d-ct.conf", "mnist-mlp-ct.conf");
        PrepCliTest.Out r = PrepCliTest.run("quickstart", "--data", data.toString(), "--out", out.toString(),
                "--minutes", "0.1", "--conf", conf, "--master", "local[1]");
        assertEquals(0, r.run().code(), r.run().err() + r.stdout());
        for (String f : new String[]{"samples.png", "loss.png", "quality.txt", "quickstart.conf", "mnist28/_manifest.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f + "\n" + r.stdout());
        }
        String quality = Files.readString(out.resolve("quality.txt"));
        assertTrue(quality.contains("one-step samples: confident"), r.stdout());
        // the preset is class-conditional: trained on the IDX labels, sampled through the classes in turn
        assertTrue(r.stdout().contains("classes=10"), r.stdout());
        assertTrue(quality.contains("of the samples are confidently the class they were asked for"), quality);
        PrepCliTest.Out again = PrepCliTest.run("quickstart", "--data", data.toString(), "--out", out.toString(),
                "--minutes", "0.1", "--conf", conf, "--master", "local[1]");
        assertEquals(0, again.run().code(), again.run().err());
        assertTrue(again.stdout().contains("continuing") || again.stdout().contains("already trained"), again.stdout());
        assertTrue(!again.stdout().contains("preparing shards"), "shards are reused");
    }

    @Test
    void aLatentMlpFitsItsPrincipalComponentsOnceAndKeepsThemAcrossResumes() throws IOException {
        Path data = tmp.resolve("idx");
        writeIdx(data, 300);
        Path out = tmp.resolve("qs");
        Path preset = Path.of(TrainCliTest.PRESET.replace("toy2d-ct.conf", "mnist-mlp-ct.conf")).toAbsolutePath();
        Path conf = tmp.resolve("latent.conf");
        Files.writeString(conf, "include file(\"" + preset + "\")\nnetwork.mlp.latent = 16\n");
        String[] args = {"quickstart", "--data", data.toString(), "--out", out.toString(), "--minutes", "0.1", "--conf",
                conf.toString(), "--master", "local[1]"};
        PrepCliTest.Out r = PrepCliTest.run(args);
        assertEquals(0, r.run().code(), r.run().err() + r.stdout());
        assertTrue(r.stdout().contains("latent=16 principal components"), r.stdout());
        assertTrue(r.stdout().contains("latent: top 16 principal components of 300 images keep 100.0% of the variance"),
                "300 images of ten diamonds span nine dimensions: " + r.stdout());
        assertTrue(Files.readString(out.resolve("quality.txt")).contains("one-step samples: confident"), r.stdout());
        PrepCliTest.Out again = PrepCliTest.run(args);
        assertEquals(0, again.run().code(), again.run().err());
        assertTrue(!again.stdout().contains("latent: top"), "a resumed run keeps its checkpoint's PCA: " + again.stdout());
        PrepCliTest.Out inspect = PrepCliTest.run("inspect", out.resolve("run").toString());
        assertEquals(0, inspect.run().code(), inspect.run().err());
        assertTrue(inspect.stdout().contains("(of which 13,328 in frozen buffers fitted from data: latent.mean, latent.basis)"),
                "784 + 16 x 784 values: " + inspect.stdout());
    }

    @Test
    void missingDataIsOneLine() {
        TrainCliTest.assertOneLine(PrepCliTest.run("quickstart", "--data", tmp.toString(), "--out",
                tmp.resolve("q").toString()), "holds no train-images-idx3-ubyte");
        TrainCliTest.assertOneLine(PrepCliTest.run("quickstart", "--minutes", "0", "--out", tmp.resolve("q").toString()),
                "--minutes must be in (0, 1440]");
    }
}
