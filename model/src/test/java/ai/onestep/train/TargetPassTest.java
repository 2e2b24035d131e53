package ai.onestep.train;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.TinyNets;
import ai.onestep.nn.UNet;
import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.schedule.CmAdaptiveSchedule;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inference right after a training step uses the weights it is bound to: the first and second calls agree, and a
 * freshly built graph given a copy of the same vector gives the same output. The target vector follows mu(k).
 */
class TargetPassTest {
    @Test
    void passesUseTheBoundWeights() {
        Method ct = new Method.ConsistencyTraining(new CmAdaptiveSchedule(2, 150, 0.9, 1000),
                new ai.onestep.schedule.UniformIndex(), Weighting.UNIFORM, PseudoHuber.ict());
        TrainerConfig cfg = new TrainerConfig(ct, TrainerConfig.OptimizerKind.ADAM, 1e-2, 0, List.of(0.5), 3,
                DataType.FLOAT);
        UNet net = new UNet(TinyNets.unetB());
        try (Trainer t = new Trainer(cfg, net, null, null);
             GraphDenoiser fresh = GraphDenoiser.forInference(net, ConsistencyPrecond.standard(), DataType.FLOAT)) {
            Rng data = Rng.of(4);
            INDArray probe = Tensors.gaussian(Rng.of(5), DataType.FLOAT, 3, 1, 8, 8);
            for (int i = 0; i < 3; i++) {
                INDArray before = t.params().dup();
                INDArray targetBefore = t.target().dup();
                t.step(Tensors.gaussian(data, DataType.FLOAT, 4, 1, 8, 8), null);
                // target <- mu target + (1 - mu) theta with mu = mu(k) of that step
                double mu = t.schedule().mu(i);
                INDArray expected = targetBefore.mul(mu).addi(t.params().mul(1 - mu));
                assertTrue(expected.equalsWithEps(t.target(), 1e-6), "target EMA with mu(k)");
                assertTrue(before.distance1(t.params()) > 0, "the step changed the parameters");
                INDArray first = t.denoiser(null).denoise(probe, 2.0, null).dup();
                INDArray second = t.denoiser(null).denoise(probe, 2.0, null).dup();
                assertArrayEquals(first.ravel().toFloatVector(), second.ravel().toFloatVector(), 0f, "first call == second call");
                INDArray other = fresh.bind(t.params().dup()).denoise(probe, 2.0, null);
                assertArrayEquals(first.ravel().toFloatVector(), other.ravel().toFloatVector(), 1e-6f, "fresh graph, same weights");
            }
        }
    }
}
