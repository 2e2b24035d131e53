package ai.onestep.distributed;

import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.ckpt.LocalFiles;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone cluster (master + 2 workers, separate JVMs from the Maven jars) and SparkSubmit: a short CT run
 * finishes and checkpoints; killing an executor, the driver, or the driver in the middle of a checkpoint write does
 * not change the final parameters (against an undisturbed run with the same seed, to 1e-5).
 */
class ClusterTest {
    @TempDir
    Path tmp;

    static final String PRESET = Path.of(System.getProperty("user.dir")).resolveSibling("conf").resolve("toy2d-ct.conf").toString();
    static final String[] RUN = {"run.steps=60", "run.localSteps=1", "run.workers=2", "run.batchPerWorker=64", "run.checkpointEvery=10",
            "run.logEvery=1", "run.sampleEvery=0", "run.seed=3"};

    String[] train(String runDir, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--conf", PRESET, "--run-dir", runDir));
        a.addAll(List.of(RUN));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static INDArray finalParams(Path runDir) throws Exception {
        LocalFiles files = new LocalFiles(runDir.resolve("checkpoints"));
        String dir = CheckpointIO.latest(files, ".").orElseThrow();
        String json = CheckpointIO.readConfig(files, dir);
        TrainConfig cfg = TrainConfig.parse(json, List.of());
        return CheckpointIO.load(files, dir, DenoiserGraph.layout(cfg.network()).specs(), DataType.FLOAT).model();
    }

    static int finish(Process p, Path log) throws Exception {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("driver did not finish; log: " + Files.readString(log));
        }
        return p.exitValue();
    }

    @Test
    void survivesKilledExecutorsDriversAndCheckpointWrites() throws Exception {
        try (StandaloneCluster cluster = new StandaloneCluster(tmp.resolve("spark"), 2)) {
            // undisturbed
            Path a = tmp.resolve("a");
            Path logA = tmp.resolve("a.log");
            assertEquals(0, finish(cluster.submit(logA, List.of(), train(a.toString())), logA), Files.readString(logA));
            assertTrue(Files.readString(logA).contains("train: done at step 60"), Files.readString(logA));
            assertTrue(Files.exists(a.resolve("checkpoints/step-000000060/model.npz")));
            INDArray reference = finalParams(a);

            // kill -9 one executor and its worker mid-run: the lost task is rerun elsewhere, the result is unchanged
            Path b = tmp.resolve("b");
            Path logB = tmp.resolve("b.log");
            Process driverB = cluster.submit(logB, List.of(), train(b.toString()));
            StandaloneCluster.waitFor(logB, "round 20/60", 1, Duration.ofMinutes(3));
            cluster.killWorker(1);
            assertEquals(0, finish(driverB, logB), Files.readString(logB));
            assertClose(reference, finalParams(b), "after losing an executor");
            cluster.addWorker();

            // kill -9 the driver mid-run, then --resume
            Path c = tmp.resolve("c");
            Path logC = tmp.resolve("c.log");
            Process driverC = cluster.submit(logC, List.of(), train(c.toString()));
            StandaloneCluster.waitFor(logC, "round 25/60", 1, Duration.ofMinutes(3));
            driverC.descendants().forEach(ProcessHandle::destroyForcibly);
            driverC.destroyForcibly();
            driverC.waitFor();
            assertFalse(Files.readString(logC).contains("done at step"));
            Path logC2 = tmp.resolve("c2.log");
            assertEquals(0, finish(cluster.submit(logC2, List.of(), train(c.toString(), "--resume")), logC2),
                    Files.readString(logC2));
            assertTrue(Files.readString(logC2).contains("resuming"), Files.readString(logC2));
            assertClose(reference, finalParams(c), "after killing the driver and resuming");

            // the driver dies in the middle of writing the step-30 checkpoint: step 20 stays the one in use
            Path d = tmp.resolve("d");
            Path logD = tmp.resolve("d.log");
            Process driverD = cluster.submit(logD, List.of("-Donestep.crash.checkpoint=30"), train(d.toString()));
            assertEquals(137, finish(driverD, logD), Files.readString(logD));
            assertEquals("step-000000020", Files.readString(d.resolve("checkpoints/latest")).trim());
            try (var s = Files.list(d.resolve("checkpoints"))) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith(".step-000000030.tmp")),
                        "the interrupted write leaves only a hidden temporary directory");
            }
            assertFalse(Files.exists(d.resolve("checkpoints/step-000000030")));
            Path logD2 = tmp.resolve("d2.log");
            assertEquals(0, finish(cluster.submit(logD2, List.of(), train(d.toString(), "--resume")), logD2),
                    Files.readString(logD2));
            assertTrue(Files.readString(logD2).contains("resuming " + d + " at step 20"), Files.readString(logD2));
            assertClose(reference, finalParams(d), "after a crash during a checkpoint write");
        }
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        double max = Transforms.maxAbsDiff(expected, actual);
        assertTrue(max <= 1e-5, what + ": max |diff| = " + max);
    }
}
