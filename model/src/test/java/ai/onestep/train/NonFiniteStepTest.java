package ai.onestep.train;

import ai.onestep.loss.EdmLoss;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.TinyNets;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteStepTest {
    @Test
    void nonFiniteStepsAreSkippedThenStopTraining() {
        TrainerConfig cfg = new TrainerConfig(new Method.Edm(EdmLoss.standard()), TrainerConfig.OptimizerKind.ADAM,
                1e-3, 0, List.of(0.9), 1, DataType.FLOAT);
        try (Trainer t = new Trainer(cfg, new Mlp(TinyNets.mlp()), null, null)) {
            INDArray good = Tensors.gaussian(Rng.of(1), DataType.FLOAT, 8, 2);
            assertFalse(Double.isNaN(t.step(good, null)));
            float[] before = t.params().toFloatVector();
            float[] emaBefore = t.emas().get(0.9).toFloatVector();
            INDArray bad = good.dup();
            bad.putScalar(0, Float.NaN);
            for (int i = 1; i < Trainer.MAX_CONSECUTIVE_NON_FINITE; i++) {
                assertTrue(Double.isNaN(t.step(bad, null)));
            }
            assertArrayEquals(before, t.params().toFloatVector(), "parameters untouched by skipped steps");
            assertArrayEquals(emaBefore, t.emas().get(0.9).toFloatVector(), "EMAs untouched by skipped steps");
            assertEquals(1, t.stepCount());
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.step(bad, null));
            assertTrue(e.getMessage().contains("step 1"), e.getMessage());
            assertEquals(Trainer.MAX_CONSECUTIVE_NON_FINITE, t.skippedSteps());
        }
    }
}
