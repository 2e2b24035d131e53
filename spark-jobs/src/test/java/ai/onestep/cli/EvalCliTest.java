package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code onestep eval} end to end on embedded Spark: labelled shards, a checkpoint trained here, a classifier trained
 * and cached by the command, the report and its pictures; the same seed gives the same numbers on another
 * partitioning and worker count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalCliTest {
    @TempDir
    static Path tmp;
    String shards;
    String run;

    @BeforeAll
    void shardsAndCheckpoint() throws IOException {
        Path idx = Files.createDirectories(tmp.resolve("idx"));
        int n = 240;
        Random r = new Random(3);
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(idx.resolve("train-images-idx3-ubyte")));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(idx.resolve("train-labels-idx1-ubyte")))) {
            img.writeInt(0x803);
            img.writeInt(n);
            img.writeInt(8);
            img.writeInt(8);
            lab.writeInt(0x801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int cls = i % 2; // class 0 bright on the left, class 1 on the right
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        boolean lit = cls == 0 ? x < 4 : x >= 4;
                        img.write(Math.min(255, (lit ? 180 : 20) + r.nextInt(60)));
                    }
                }
                lab.write(cls);
            }
        }
        shards = tmp.resolve("shards").toString();
        CliRun p = OneStepCliTest.run("prep", "idx", "--input", idx.toString(), "--output", shards, "--resolution", "8",
                "--master", "local[1]");
        assertEquals(0, p.code(), p.err());
        run = tmp.resolve("run").toString();
        String preset = Presets.file("digits8-ct").toString();
        CliRun t = OneStepCliTest.run("train", "--conf", preset, "--run-dir", run, "--master", "local[2]",
                "data.path=" + shards, "run.steps=4");
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void reportWithEveryMetricPicturesAndTheSameNumbersOnAnotherPartitioning() throws IOException {
        Path out = tmp.resolve("eval");
        String cache = tmp.resolve("cache").toString();
        CliRun r = OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--num", "150", "--batch", "32",
                "--steps", "1,2", "--cache", cache, "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(2, report.get("results").size());
        assertEquals(150, report.get("reference").get("images").asInt());
        assertTrue(report.get("features").asText().startsWith("classifier-256"), report.toString());
        for (JsonNode res : report.get("results")) {
            double fid = res.get("fid").asDouble();
            assertTrue(Double.isFinite(fid) && fid > 0, "FID of noise-like samples: " + fid);
            double is = res.get("inception_score").asDouble();
            assertTrue(is >= 1 && is <= 2 + 1e-9, "IS of a 2-class classifier is in [1, 2]: " + is);
            for (String k : new String[]{"precision", "recall", "confident"}) {
                double v = res.get(k).asDouble();
                assertTrue(v >= 0 && v <= 1, k + " " + v);
            }
            assertTrue(Double.isFinite(res.get("kid").asDouble()), res.toString());
        }
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        assertTrue(Files.size(out.resolve("fid-vs-steps.png")) > 0);
        try (var files = Files.list(Path.of(cache))) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().matches("(classifier|reference)-.*\\.npz")).count(),
                    "the trained classifier and the reference statistics are cached");
        }

        Path again = tmp.resolve("eval-1");
        CliRun one = OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--num", "150", "--batch", "32",
                "--steps", "1", "--cache", cache, "--out", again.toString(), "--master", "local[1]", "--partitions", "1");
        assertEquals(0, one.code(), one.err());
        JsonNode a = report.get("results").get(0);
        JsonNode b = new ObjectMapper().readTree(again.resolve("report.json").toFile()).get("results").get(0);
        for (String k : new String[]{"fid", "inception_score", "precision", "recall", "kid", "confident"}) {
            assertEquals(a.get(k).asDouble(), b.get(k).asDouble(), 1e-6 * Math.max(1, Math.abs(a.get(k).asDouble())),
                    k + ": 2 workers x 4 partitions vs 1 worker x 1 partition");
        }
    }

    @Test
    void badInputIsOneLine() throws IOException {
        String out = tmp.resolve("bad").toString();
        Path fake = Files.writeString(tmp.resolve("fake.onnx"), "not a model");
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--out", out,
                "--features", "onnx:" + fake), "not an ONNX model");
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--out", out,
                "--metrics", "fid,beauty"), "--metrics takes");
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--out", out,
                "--features", "vgg"), "--features must be");
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", run, "--ref", shards, "--out", out,
                "--steps", "0"), "--steps must be >= 1");
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", tmp.resolve("none").toString(), "--ref", shards,
                "--out", out), "checkpoint does not exist");
        String big = tmp.resolve("shards16").toString();
        CliRun p = OneStepCliTest.run("prep", "idx", "--input", tmp.resolve("idx").toString(), "--output", big,
                "--resolution", "16", "--master", "local[1]");
        assertEquals(0, p.code(), p.err());
        TrainCliTest.assertOneLine(OneStepCliTest.run("eval", "--checkpoint", run, "--ref", big, "--out", out, "--num", "8",
                "--cache", tmp.resolve("cache16").toString()), "holds 16x16 images but the model generates 8x8");
        assertTrue(!Files.exists(Path.of(out)), "nothing written");
    }
}
