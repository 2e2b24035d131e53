package ai.onestep.train;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.TinyNets;
import ai.onestep.nn.UNet;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Same seed, same first 10 losses (randomness is explicit: noise, indices and dropout masks derive from the seed). */
class ReproducibilityTest {
    static double[] losses(long seed) {
        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 1280, 1000), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        TrainerConfig cfg = new TrainerConfig(ct, TrainerConfig.OptimizerKind.RADAM, 1e-3, 0, List.of(0.999), seed,
                DataType.FLOAT);
        double[] out = new double[10];
        try (Trainer t = new Trainer(cfg, new UNet(TinyNets.unetA()), null, null)) {
            Rng data = Rng.of(1);
            for (int i = 0; i < 10; i++) {
                out[i] = t.step(Tensors.gaussian(data, DataType.FLOAT, 4, 2, 8, 8), new int[]{0, 1, 2, 0});
            }
        }
        return out;
    }

    @Test
    void sameSeedSameLosses() {
        double[] a = losses(42);
        assertArrayEquals(a, losses(42), 0.0);
        assertNotEquals(a[5], losses(43)[5]);
    }
}
