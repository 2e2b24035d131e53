package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
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
        String conf = Presets.file("mnist-mlp-ct").toString();
        CliRun r = OneStepCliTest.run("quickstart", "--data", data.toString(), "--out", out.toString(),
                "--minutes", "0.1", "--conf", conf, "--master", "local[1]");
        assertEquals(0, r.code(), r.err() + r.out());
        for (String f : new String[]{"samples.png", "loss.png", "quality.txt", "quickstart.conf", "mnist28/_manifest.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f + "\n" + r.out());
        }
        String quality = Files.readString(out.resolve("quality.txt"));
        assertTrue(quality.contains("one-step samples: confident"), r.out());
        // the preset is class-conditional: trained on the IDX labels, sampled through the classes in turn
        assertTrue(r.out().contains("classes=10"), r.out());
        assertTrue(quality.contains("of the samples are confidently the class they were asked for"), quality);
        CliRun again = OneStepCliTest.run("quickstart", "--data", data.toString(), "--out", out.toString(),
                "--minutes", "0.1", "--conf", conf, "--master", "local[1]");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("continuing") || again.out().contains("already trained"), again.out());
        assertTrue(!again.out().contains("preparing shards"), "shards are reused");
    }

    @Test
    void aLatentMlpFitsItsPrincipalComponentsOnceAndKeepsThemAcrossResumes() throws IOException {
        Path data = tmp.resolve("idx");
        writeIdx(data, 300);
        Path out = tmp.resolve("qs");
        Path preset = Path.of(Presets.file("mnist-mlp-ct").toString()).toAbsolutePath();
        Path conf = tmp.resolve("latent.conf");
        Files.writeString(conf, "include file(\"" + preset + "\")\nnetwork.mlp.latent = 16\n");
        String[] args = {"quickstart", "--data", data.toString(), "--out", out.toString(), "--minutes", "0.1", "--conf",
                conf.toString(), "--master", "local[1]"};
        CliRun r = OneStepCliTest.run(args);
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("latent=16 principal components"), r.out());
        assertTrue(r.out().contains("latent: top 16 principal components of 300 images keep 100.0% of the variance"),
                "300 images of ten diamonds span nine dimensions: " + r.out());
        assertTrue(Files.readString(out.resolve("quality.txt")).contains("one-step samples: confident"), r.out());
        CliRun again = OneStepCliTest.run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(!again.out().contains("latent: top"), "a resumed run keeps its checkpoint's PCA: " + again.out());
        CliRun inspect = OneStepCliTest.run("inspect", out.resolve("run").toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("(of which 13,328 in frozen buffers fitted from data: latent.mean, latent.basis)"),
                "784 + 16 x 784 values: " + inspect.out());
    }

    @Test
    void missingDataIsOneLine() {
        TrainCliTest.assertOneLine(OneStepCliTest.run("quickstart", "--data", tmp.toString(), "--out",
                tmp.resolve("q").toString()), "holds no train-images-idx3-ubyte");
        TrainCliTest.assertOneLine(OneStepCliTest.run("quickstart", "--minutes", "0", "--out", tmp.resolve("q").toString()),
                "--minutes must be in (0, 1440]");
    }
}
