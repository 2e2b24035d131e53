package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code onestep train}: a short run end to end, --dry-run, and every bad input as one line with exit code 2. */
class TrainCliTest {
    @TempDir
    Path tmp;

    static final String PRESET = Presets.file("toy2d-ct").toString();

    static void assertOneLine(CliRun r, String contains) {
        assertEquals(2, r.code(), r.err() + r.out());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(contains), err);
    }

    @Test
    void shortToyRunWritesCheckpointsSamplesAndResumes() {
        String dir = tmp.resolve("run").toString();
        CliRun r = OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", dir, "--master", "local[2]", "run.steps=6",
                "run.logEvery=3", "run.checkpointEvery=3", "run.localSteps=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("round 3/6 k=3"), r.out());
        assertTrue(r.out().contains("train: done at step 6"), r.out());
        assertTrue(Files.exists(Path.of(dir, "checkpoints", "step-000000006", "model.npz")));
        assertTrue(Files.exists(Path.of(dir, "samples", "round-000006.png")));
        try (var files = Files.walk(Path.of(dir))) {
            assertEquals(java.util.List.of(), files.filter(f -> f.toString().endsWith(".crc")).toList(),
                    "a local run directory holds no Hadoop checksum files");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRun again = OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", dir, "--master", "local[2]", "run.steps=9",
                "run.localSteps=1", "--resume");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming " + dir + " at step 6"), again.out());
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        CliRun r = OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", tmp.resolve("d").toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("workers 2 x batch 256 per worker"), r.out());
        assertTrue(r.out().contains("per worker: parameter-sized state"), r.out());
        assertFalse(Files.exists(tmp.resolve("d")));
        CliRun big = OneStepCliTest.run("train", "--conf", PRESET, "--dry-run", "network.kind=unet",
                "network.unet.modelChannels=256", "network.unet.resolution=256", "data.kind=shards", "data.path=/x",
                "run.batchPerWorker=512", "run.deviceMemoryGb=16");
        assertOneLine(big, "plan needs ~");
    }

    @Test
    void badInputIsOneClearLine() throws IOException {
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "optimizer.lrr=1"), "unknown key 'optimizer.lrr' (did you mean 'optimizer.lr'?)");
        assertOneLine(OneStepCliTest.run("train", "--conf", tmp.resolve("nope.conf").toString()), "config file does not exist");
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "run.workers=0"), "run.workers must be in 1..4096");
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", tmp.resolve("r").toString(), "data.kind=shards",
                "data.path=" + tmp.resolve("missing"), "network.kind=unet", "run.deviceMemoryGb=64", "--master", "local[1]"),
                "shard directory does not exist");
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "--master", "spark://127.0.0.1:1", "--run-dir", tmp.resolve("m").toString()),
                "cannot reach Spark master spark://127.0.0.1:1");
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "--resume", "--run-dir", tmp.resolve("fresh").toString()),
                "--resume: no checkpoint in");
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, "netwrk { kind = mlp }");
        assertOneLine(OneStepCliTest.run("train", "--conf", conf.toString()), "unknown section 'netwrk' (did you mean 'network'?)");
    }

    @Test
    void aClassConditionalNetworkNeedsLabelledShards() throws IOException {
        Path idx = tmp.resolve("idx");
        QuickstartTest.writeIdx(idx, 40);
        Files.delete(idx.resolve("train-labels-idx1-ubyte"));
        String shards = tmp.resolve("unlabelled").toString();
        CliRun p = OneStepCliTest.run("prep", "idx", "--input", idx.toString(), "--output", shards, "--resolution", "28",
                "--master", "local[1]");
        assertEquals(0, p.code(), p.err());
        String preset = PRESET.replace("toy2d-ct.conf", "mnist-mlp-ct.conf");
        assertOneLine(OneStepCliTest.run("train", "--conf", preset, "--run-dir", tmp.resolve("r").toString(), "data.path=" + shards,
                "--master", "local[1]"), "the network is class-conditional (10 classes) but shard set");
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", tmp.resolve("t").toString(), "network.mlp.numClasses=3",
                "--master", "local[1]"), "the network is class-conditional (3 classes) but data.kind = toy2d has no labels");
    }

    @Test
    void aTeacherOfAnotherArchitectureIsRefused() {
        String teacher = tmp.resolve("teacher").toString();
        CliRun t = OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", teacher, "--master", "local[1]", "method.kind=edm",
                "run.steps=2", "run.workers=1");
        assertEquals(0, t.code(), t.err());
        assertOneLine(OneStepCliTest.run("train", "--conf", PRESET, "--run-dir", tmp.resolve("student").toString(), "--master", "local[1]",
                "method.kind=cd", "method.schedule=fixed", "method.teacher=" + teacher, "network.mlp.hidden=64"),
                "does not fit the student network");
    }
}
