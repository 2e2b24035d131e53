package ai.onestep.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SiLU and its gradient stay finite and exact far into the tails (ND4J's fused swish backward did not). */
class SiluTest {
    @Test
    void gradientIsFiniteForLargeInputs() {
        SameDiff sd = SameDiff.create();
        float[] xs = {-1000f, -100f, -20f, 0f, 1f, 20f, 100f, 1000f};
        SDVariable x = sd.var("x", Nd4j.createFromArray(xs));
        SDVariable y = Layers.silu(sd, x);
        SDVariable loss = y.sum();
        sd.updateVariableNameAndReference(loss, "loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(java.util.Map.of(), y.name()).get(y.name());
        INDArray g = sd.calculateGradients(java.util.Map.of(), "x").get("x");
        for (int i = 0; i < xs.length; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            assertEquals(xs[i] * s, out.getDouble(i), 1e-4 * Math.max(1, Math.abs(xs[i])), "silu(" + xs[i] + ")");
            assertEquals(s + xs[i] * s * (1 - s), g.getDouble(i), 1e-5, "silu'(" + xs[i] + ")");
        }
        assertEquals(DataType.FLOAT, g.dataType());
    }
}
