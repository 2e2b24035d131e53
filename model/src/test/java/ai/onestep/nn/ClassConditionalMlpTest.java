package ai.onestep.nn;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class-conditional MLP learns which class to draw: four classes, each a tight blob at its own corner of the plane,
 * trained by consistency training with labels; one-step samples asked for class c land at class c's blob.
 */
class ClassConditionalMlpTest {
    static final double[][] CENTRES = {{2, 0}, {0, 2}, {-2, 0}, {0, -2}};

    static INDArray blobs(int[] labels, Rng rng) {
        float[] g = rng.gaussian(2 * labels.length);
        float[] v = new float[2 * labels.length];
        for (int i = 0; i < labels.length; i++) {
            v[2 * i] = (float) (CENTRES[labels[i]][0] + 0.05 * g[2 * i]);
            v[2 * i + 1] = (float) (CENTRES[labels[i]][1] + 0.05 * g[2 * i + 1]);
        }
        return Nd4j.createFromArray(v).reshape(labels.length, 2);
    }

    static int[] cycle(int n) {
        return java.util.stream.IntStream.range(0, n).map(i -> i % CENTRES.length).toArray();
    }

    @Test
    void oneStepSamplesLandAtTheClassTheyWereAskedFor() {
        Mlp net = new Mlp(new Mlp.Config(2, 128, 3, 32, NoiseEmbedding.POSITIONAL, List.of(), 0, CENTRES.length));
        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 160, 1500), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        TrainerConfig cfg = new TrainerConfig(ct, TrainerConfig.OptimizerKind.ADAM, 1e-3, 0, List.of(0.99), 41,
                DataType.FLOAT);
        Rng data = Rng.of(42);
        try (Trainer t = new Trainer(cfg, net, null, null)) {
            for (int i = 0; i < 1500; i++) {
                int[] labels = new int[128];
                for (int j = 0; j < labels.length; j++) {
                    labels[j] = data.nextInt(CENTRES.length);
                }
                t.step(blobs(labels, data), labels);
            }
            int n = 400;
            int[] asked = cycle(n);
            INDArray x = ConsistencySampler.oneStep(80, 0.002).sample(t.denoiser(0.99),
                    Tensors.gaussian(Rng.of(43), DataType.FLOAT, n, 2), asked, Rng.of(44));
            int atOwn = 0;
            for (int i = 0; i < n; i++) {
                double dx = x.getDouble(i, 0) - CENTRES[asked[i]][0];
                double dy = x.getDouble(i, 1) - CENTRES[asked[i]][1];
                atOwn += Math.hypot(dx, dy) < 0.5 ? 1 : 0;
            }
            // an unconditional model could put at most about a quarter of the samples at the asked blob
            assertTrue(atOwn >= 0.9 * n, atOwn + " of " + n + " samples within 0.5 of the asked class's centre");
        }
    }
}
