package ai.onestep.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SiLU and its gradient stay finite and exact far into the tails (ND4J's fused swish backward did not). */
class SiluTest {
    private static final float[] XS = {-1000f, -100f, -20f, -1f, 0f, 1f, 20f, 100f, 1000f};

    @Test
    void gradientIsFiniteForLargeInputs() {
        SameDiff sd = SameDiff.create();
        NetContext c = new NetContext(sd, ParamStore.forGraph(sd, DataType.FLOAT), false, true);
        SDVariable x = sd.var("x", Nd4j.createFromArray(XS));
        SDVariable y = Layers.silu(c, x);
        SDVariable loss = y.sum();
        sd.updateVariableNameAndReference(loss, "loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), y.name()).get(y.name());
        INDArray g = sd.calculateGradients(Map.of(), "x").get("x");
        for (int i = 0; i < XS.length; i++) {
            double s = sigmoid(XS[i]);
            assertEquals(XS[i] * s, out.getDouble(i), 1e-4 * Math.max(1, Math.abs(XS[i])), "silu(" + XS[i] + ")");
            assertEquals(s + XS[i] * s * (1 - s), g.getDouble(i), 1e-5, "silu'(" + XS[i] + ")");
        }
        assertEquals(DataType.FLOAT, g.dataType());
        assertFalse(opNames(sd).contains("swish"), "a differentiated graph keeps the two-op form");
    }

    @Test
    void inferenceGraphsUseTheFusedOpWithTheSameValues() {
        SameDiff fused = SameDiff.create();
        SameDiff plain = SameDiff.create();
        NetContext fc = new NetContext(fused, ParamStore.forGraph(fused, DataType.FLOAT), false, false,
                true);
        NetContext pc = new NetContext(plain, ParamStore.forGraph(plain, DataType.FLOAT), false, false);
        SDVariable yf = Layers.silu(fc, fused.placeHolder("x", DataType.FLOAT, -1));
        SDVariable yp = Layers.silu(pc, plain.placeHolder("x", DataType.FLOAT, -1));
        INDArray x = Nd4j.createFromArray(XS);
        INDArray of = fused.output(Map.of("x", x), yf.name()).get(yf.name());
        INDArray op = plain.output(Map.of("x", x), yp.name()).get(yp.name());
        // Java kernels are enabled in the test JVM (SiluKernelTest), so the fused op is OneStep's own
        assertTrue(opNames(fused).contains("onestep_silu"), "ops " + opNames(fused));
        assertFalse(opNames(plain).contains("swish") || opNames(plain).contains("onestep_silu"),
                "a target or teacher pass keeps the two-op form");
        for (int i = 0; i < XS.length; i++) {
            double want = XS[i] * sigmoid(XS[i]);
            assertEquals(want, of.getDouble(i), 1e-6 * Math.max(1, Math.abs(XS[i])), "fused silu(" + XS[i] + ")");
            assertEquals(op.getDouble(i), of.getDouble(i), 1e-6 * Math.max(1, Math.abs(XS[i])), "at " + XS[i]);
        }
    }

    @Test
    void anInferenceGraphHasNeitherDropoutNorGradients() {
        SameDiff sd = SameDiff.create();
        ParamStore p = ParamStore.forGraph(sd, DataType.FLOAT);
        assertThrows(IllegalArgumentException.class, () -> new NetContext(sd, p, true, false, true));
        assertThrows(IllegalArgumentException.class, () -> new NetContext(sd, p, false, true, true));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static Set<String> opNames(SameDiff sd) {
        return java.util.Arrays.stream(sd.ops()).map(o -> o.opName()).collect(Collectors.toSet());
    }
}
