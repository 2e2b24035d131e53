package ai.onestep.bench;

import ai.onestep.data.stream.Position;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.UNet;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.UNetConfig;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * {@code onestep bench sync}: seconds per round spent communicating (broadcast of parameters and optimizer state,
 * task scheduling, summing the workers' results, the driver's averaging) for a parameter vector of a given size,
 * with workers that do no compute, beside the seconds of one training step of a network of that size.
 */
public final class SyncBench {
    private SyncBench() {
    }

    /** A UNet whose parameter count is near the requested size (the rows of the benchmark table). */
    public static UNetConfig unetNear(long params) {
        if (params < 5_000_000) {
            return new UNetConfig(32, 3, 3, 32, List.of(1, 2, 2), 1, List.of(), 32, 0, true, true, 0,
                    NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true); // ~1.3M, the size of bench-unet32
        }
        if (params < 100_000_000) {
            return new UNetConfig(64, 3, 3, 96, List.of(1, 2, 3, 4), 2, List.of(16, 8), 32, 0, true, true, 0,
                    NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true); // ~57M
        }
        return UNetConfig.imagenet64();
    }

    public static long parameters(UNetConfig c) {
        return DenoiserGraph.layout(new UNet(c)).size();
    }

    /** Median seconds of one CT training step (online + target pass, Adam) at this batch. */
    public static double stepSeconds(UNetConfig c, int batch, int iterations) {
        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 1280, 1000), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        try (Trainer t = new Trainer(new TrainerConfig(ct, TrainerConfig.OptimizerKind.RADAM, 1e-4, 0, List.of(0.999), 1,
                DataType.FLOAT), new UNet(c), null, null)) {
            INDArray x = Tensors.gaussian(Rng.of(1), DataType.FLOAT, batch, c.inChannels(), c.resolution(), c.resolution())
                    .muli(0.5);
            int[] labels = c.numClasses() > 0 ? new int[batch] : null;
            t.step(x, labels); // warm-up
            double[] s = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                t.step(x, labels);
                s[i] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(s);
            return s[iterations / 2];
        }
    }
}
