package ai.onestep.distributed;

import ai.onestep.conf.TrainConfig;
import ai.onestep.files.HadoopConf;
import ai.onestep.data.stream.Position;
import ai.onestep.toy.Ring2D;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameter-averaging protocol on embedded Spark with Kryo registration required. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedTrainerTest {
    @TempDir
    static Path tmp;
    JavaSparkContext sc;

    static final String TOY = """
            run { steps = 20, workers = 1, batchPerWorker = 64, localSteps = 1, checkpointEvery = 1000, logEvery = 5, seed = 7 }
            network { kind = mlp, mlp { hidden = 32, depth = 2, embedDim = 16 } }
            method { kind = ct, schedule = ict, s0 = 10, s1 = 80 }
            optimizer { kind = adam, lr = 1e-3 }
            ema { rates = [0.9] }
            data { kind = toy2d }
            """;

    @BeforeAll
    void start() {
        sc = LocalSpark.start("dt-test");
    }

    @AfterAll
    void stop() {
        sc.stop();
    }

    static TrainConfig toy(String... overrides) {
        return TrainConfig.parse(TOY, List.of(overrides));
    }

    /** Records every round's loss. */
    static final class Losses implements TrainingListener {
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onRound(RoundMetrics m) {
            losses.add(m.loss());
        }
    }

    static void assertClose(INDArray a, INDArray b, double tol, String what) {
        double max = Transforms.maxAbsDiff(a, b);
        assertTrue(max <= tol, what + ": max |diff| = " + max);
    }

    @Test
    void oneWorkerWithHOneReproducesSingleProcessTraining() throws IOException {
        TrainConfig cfg = toy();
        Losses seen = new Losses();
        INDArray distributed;
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("one").toString()))) {
            d.addListener(seen);
            assertEquals(20, d.run());
            distributed = d.trainer().params().dup();
        }
        List<Double> single = new ArrayList<>();
        try (Trainer t = new Trainer(cfg.trainerConfig(ai.onestep.conf.Locations.LOCAL), cfg.network(), null, null)) {
            for (int i = 0; i < 20; i++) {
                single.add(t.step(Ring2D.sample(64, Rng.derive(7, 0x7032_4444L, 0, i)), null));
            }
            assertClose(t.params(), distributed, 1e-5, "parameters after 20 steps");
        }
        assertEquals(20, seen.losses.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(single.get(i), seen.losses.get(i), 1e-5, "loss of step " + i);
        }
    }

    @Test
    void twoWorkersAverageWhatEachWorkerComputed() throws IOException {
        TrainConfig cfg = toy("run.workers=2", "run.localSteps=3", "run.steps=3");
        INDArray start;
        INDArray averaged;
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("two").toString()))) {
            start = d.trainer().params().dup();
            RoundState s0 = new RoundState(0, 0, 3, ChunkedFloats.copyOf(start, 1 << 20), null,
                    ChunkedFloats.copyOf(d.trainer().optimizer().state(), 1 << 20),
                    new Position[]{Position.start(0), Position.start(1)});
            d.run();
            averaged = d.trainer().params().dup();
            // what each worker computes, through the same executor code the tasks run
            WorkerRuntime rt = WorkerRuntime.get(cfg.json(), new HadoopConf(new Configuration()));
            INDArray w0 = rt.run(s0, 0).params.toNd4j();
            INDArray w1 = rt.run(s0, 1).params.toNd4j();
            assertTrue(Transforms.maxAbsDiff(w0, w1) > 1e-4, "the workers saw different data and must differ");
            assertClose(w0.add(w1).muli(0.5), averaged, 1e-6, "averaged parameters");
            assertTrue(Transforms.maxAbsDiff(start, averaged) > 1e-4, "a round must move the parameters");
        }
    }

    @Test
    void largeVectorsTravelInChunksWithTheSameResult() throws IOException {
        INDArray whole;
        INDArray chunked;
        try (DistributedTrainer d = new DistributedTrainer(sc, toy("run.workers=2", "run.steps=4"),
                DistributedTrainer.Options.of(tmp.resolve("whole").toString()))) {
            d.run();
            whole = d.trainer().params().dup();
        }
        // 0.001 MB = 262 floats: the MLP's parameters and Adam state split into many chunks, summed by reduceByKey
        try (DistributedTrainer d = new DistributedTrainer(sc, toy("run.workers=2", "run.steps=4", "run.transferChunkMb=0.001"),
                DistributedTrainer.Options.of(tmp.resolve("chunked").toString()))) {
            assertTrue(d.trainer().params().length() > 5 * 262, "the test needs several chunks");
            d.run();
            chunked = d.trainer().params().dup();
        }
        assertClose(whole, chunked, 0, "chunked vs whole transfer");
    }

    @Test
    void stopAndResumeEqualsAnUninterruptedRun() throws IOException {
        TrainConfig cfg = toy("run.workers=2", "run.localSteps=2", "run.checkpointEvery=2", "run.steps=12");
        INDArray straight;
        INDArray straightEma;
        INDArray straightTarget;
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("straight").toString()))) {
            d.run();
            straight = d.trainer().params().dup();
            straightEma = d.trainer().emas().get(0.9).dup();
            straightTarget = d.trainer().target().dup();
        }
        String dir = tmp.resolve("resumed").toString();
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(dir))) {
            d.addListener(new TrainingListener() {
                @Override
                public void onRound(RoundMetrics m) {
                    if (m.round() == 3) {
                        d.stop();
                    }
                }
            });
            assertEquals(6, d.run());
        }
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(dir))) {
            assertEquals(6, d.step(), "resumes from the checkpoint written when it stopped");
            assertEquals(12, d.run());
            assertClose(straight, d.trainer().params(), 1e-5, "resumed vs uninterrupted");
            assertClose(straightEma, d.trainer().emas().get(0.9), 1e-5, "EMA 0.9");
            assertClose(straightTarget, d.trainer().target(), 1e-5, "target");
        }
        assertTrue(Files.exists(tmp.resolve("resumed/metrics.jsonl")));
        assertEquals(6, Files.readAllLines(tmp.resolve("resumed/metrics.jsonl")).size());
        assertTrue(Files.exists(tmp.resolve("resumed/loss.png")));
        assertTrue(Files.exists(tmp.resolve("resumed/checkpoints/latest")));
    }

    @Test
    void aRunDirectoryOfAnotherRunIsRefused() throws IOException {
        String dir = tmp.resolve("theirs").toString();
        try (DistributedTrainer d = new DistributedTrainer(sc, toy("run.steps=2"), DistributedTrainer.Options.of(dir))) {
            d.run();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DistributedTrainer(sc, toy("network.mlp.hidden=48"), DistributedTrainer.Options.of(dir)));
        assertTrue(e.getMessage().contains("holds checkpoints of another run (network differs)"), e.getMessage());
    }

    @Test
    void aNonFiniteRoundIsDiscardedAndRetriedThenTheRunStops() throws IOException {
        String dir = tmp.resolve("nan").toString();
        TrainConfig cfg = toy("run.workers=2", "run.steps=40", "run.checkpointEvery=2", "run.maxFailedRounds=3");
        List<String> problems = new ArrayList<>();
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(dir))) {
            d.addListener(new TrainingListener() {
                @Override
                public void onFailedRound(long round, String problem, int consecutive) {
                    problems.add(problem);
                }
            });
            // step 4 fails once (retried with fresh data, then fine); from step 8 on every round fails
            java.util.Set<Long> once = new java.util.HashSet<>();
            WorkerRuntime.poisonWorker0 = k -> (k == 4 && once.add(k)) || k >= 8;
            IllegalStateException e = assertThrows(IllegalStateException.class, d::run);
            assertTrue(e.getMessage().contains("3 consecutive rounds with a non-finite loss"), e.getMessage());
            assertTrue(e.getMessage().contains("worker 0: non-finite loss at step 8"), e.getMessage());
            assertEquals(8, d.step(), "parameters stay at the last good round");
            assertTrue(problems.get(0).startsWith("round 5 worker 0: non-finite loss at step 4"), problems.get(0));
            assertEquals(4, problems.size());
            assertTrue(Double.isFinite(d.trainer().params().sumNumber().doubleValue()));
        } finally {
            WorkerRuntime.poisonWorker0 = k -> false;
        }
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(dir))) {
            assertEquals(8, d.step(), "the last good checkpoint is intact and resumable");
        }
    }

    @Test
    void missingShardsAreRefusedBeforeTraining() {
        TrainConfig cfg = TrainConfig.parse("data { kind = shards, path = \"" + tmp.resolve("no-shards") + "\" }", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("x").toString())));
        assertEquals("shard directory does not exist: " + tmp.resolve("no-shards"), e.getMessage());
    }
}
