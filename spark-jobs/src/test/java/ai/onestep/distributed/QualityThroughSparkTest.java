package ai.onestep.distributed;

import ai.onestep.conf.TrainConfig;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.source.DigitsCsvSource;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.LogisticClassifier;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.toy.Ring2D;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model core's quality bars, trained through Spark (local[2], 2 workers averaging parameters) from the presets
 * a user runs: the 2-D ring (conf/toy2d-ct.conf: >= 90% of 2,000 one-step samples within 0.15 of a mode, every mode
 * 6-20%) and the 8x8 digits (conf/digits8-ct.conf: >= 40% of 1,000 one-step samples confidently classified, no class
 * above 25%), each scored exactly as the single-process tests score theirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the ring first: run after the digits in the same JVM (CI, 2026-11-26) it took 12.8 minutes, alone 6.3, with the same
// result (91.7%); the cause was not established
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QualityThroughSparkTest {
    static final Path CONF = Path.of(System.getProperty("user.dir")).resolveSibling("conf");
    @TempDir
    static Path tmp;
    JavaSparkContext sc;

    @BeforeAll
    void start() {
        sc = new JavaSparkContext(DistributedTrainer.configure(new SparkConf().setMaster("local[2]")
                .setAppName("quality-test").set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")));
    }

    @AfterAll
    void stop() {
        sc.stop();
    }

    @Test
    @Order(1)
    void toyRingCtThroughSparkCoversEveryMode() throws Exception {
        TrainConfig cfg = TrainConfig.load(CONF.resolve("toy2d-ct.conf"), List.of());
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("toy").toString()))) {
            long start = System.nanoTime();
            d.run();
            INDArray noise = Tensors.gaussian(Rng.of(3), DataType.FLOAT, 2000, 2);
            INDArray x = ConsistencySampler.oneStep(80, 0.002).sample(d.trainer().denoiser(cfg.emaRates().get(0)),
                    noise, null, Rng.of(4));
            Ring2D.Coverage c = Ring2D.coverage(x);
            System.out.printf("toy2d-ct through Spark: %d steps in %.1f min, one-step %s%n", d.step(),
                    (System.nanoTime() - start) / 60e9, c);
            assertTrue(c.near() >= 0.90, c.toString());
            assertTrue(c.minShare() >= 0.06 && c.maxShare() <= 0.20, c.toString());
        }
    }

    @Test
    @Order(2)
    void digitsCtThroughSparkSamplesConfidentDigits() throws Exception {
        String csv = fetch("digits"); // Debian's python3-sklearn
        String shards = tmp.resolve("digits8").toString();
        PrepJob.run(sc, PrepJob.plan(PrepConfig.of(new DigitsCsvSource(csv), shards, 8), sc.hadoopConfiguration()));
        Batch real = ShardImages.read(shards, Integer.MAX_VALUE, new Configuration());
        INDArray realX = Nd4j.createFromArray(real.x()).reshape(real.shape());
        LogisticClassifier classifier = LogisticClassifier.train(realX, real.labels(), 10, 800);

        TrainConfig cfg = TrainConfig.load(CONF.resolve("digits8-ct.conf"), List.of("data.path=" + shards));
        try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("digits").toString()))) {
            long start = System.nanoTime();
            d.run();
            INDArray z = Tensors.gaussian(Rng.of(99), DataType.FLOAT, 1000, 1, 8, 8);
            INDArray x = ConsistencySampler.oneStep(80, 0.002).sample(d.trainer().denoiser(cfg.emaRates().get(0)), z,
                    null, Rng.of(100));
            DigitScorer.Score s = classifier.score(x);
            System.out.printf("digits8-ct through Spark: %d steps in %.1f min, one-step %s (real digits %s)%n",
                    d.step(), (System.nanoTime() - start) / 60e9, s, classifier.score(realX));
            assertTrue(s.confident() >= 0.40, s.toString());
            assertTrue(s.maxShare() <= 0.25, s.toString());
        }
    }

    /** bin/fetch-data WHAT: the path it prints; fails loudly when it cannot. */
    static String fetch(String what) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("fetch-data");
        Process p = new ProcessBuilder("bash", script.toString(), what).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/fetch-data " + what + " failed: " + out);
        }
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
