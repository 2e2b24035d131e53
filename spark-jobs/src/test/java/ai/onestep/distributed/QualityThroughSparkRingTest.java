package ai.onestep.distributed;

import ai.onestep.testing.Presets;
import ai.onestep.conf.TrainConfig;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.toy.Ring2D;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model core's 2-D ring bar, trained through Spark (local[2], 2 workers averaging parameters) from the preset a
 * user runs (conf/toy2d-ct.conf): >= 90% of 2,000 one-step samples within 0.15 of a mode, every mode 6-20%, scored
 * exactly as the single-process ToyRingTest scores its own. Tagged {@code extended} (mvn -Pextended verify): 10-18
 * minutes of two workers' training that repeats the default build's single-process bar, too long for CI's 90 minutes
 * on a slow machine.
 */
@Tag("extended")
class QualityThroughSparkRingTest {
    @TempDir
    static Path tmp;

    @Test
    void toyRingCtThroughSparkCoversEveryMode() throws Exception {
        TrainConfig cfg = TrainConfig.load(Presets.file("toy2d-ct"), List.of());
        try (JavaSparkContext sc = LocalSpark.start("quality-ring");
             DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("toy").toString()))) {
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
}
