package ai.onestep.nd4j;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java average pooling and upsampling ops against ND4J's, values and gradients. */
class Resample2xTest {
    private static final BiFunction<SameDiff, SDVariable, SDVariable> ND4J_POOL = (sd, x) -> sd.cnn().avgPooling2d(x,
            Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID).isNHWC(false).build());
    private static final BiFunction<SameDiff, SDVariable, SDVariable> ND4J_UP = (sd, x) -> sd.cnn()
            .upsampling2d(x, 2, 2, true);

    static {
        Nd4j.getRandom().setSeed(5);
    }

    @Test
    void averagePoolingEqualsNd4jBitForBit() {
        assertTrue(JavaOps.enabled());
        for (long[] shape : List.of(new long[]{3, 5, 8, 6}, new long[]{2, 64, 32, 32}, new long[]{1, 1, 2, 2})) {
            INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(100);
            assertEquals(run(ND4J_POOL, x), run(Resample2xOp::avgPool, x), "shape " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void upsamplingEqualsNd4j() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 5, 7, 4);
        INDArray got = run(Resample2xOp::upsample, x);
        assertArrayEquals(new long[]{3, 5, 14, 8}, got.shape());
        assertEquals(run(ND4J_UP, x), got);
    }

    /** Gradients of sum(w * op(x)) with respect to x, the Java op's backward pass against ND4J's. */
    @Test
    void gradientsEqualNd4js() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 10);
        assertEquals(gradient(ND4J_POOL, x), gradient(Resample2xOp::avgPool, x));
        assertEquals(gradient(ND4J_UP, x), gradient(Resample2xOp::upsample, x));
        // and the one twice over: the gradient of the backward pass (SameDiff differentiates the op itself)
        INDArray pooled = gradient((sd, v) -> Resample2xOp.upsample(sd, Resample2xOp.avgPool(sd, v)), x);
        INDArray reference = gradient((sd, v) -> ND4J_UP.apply(sd, ND4J_POOL.apply(sd, v)), x);
        assertTrue(reference.equalsWithEps(pooled, 1e-6), "pool then upsample: gradients differ");
    }

    @Test
    void viewsWithAnOffsetAreReadFromTheirOwnElements() {
        INDArray base = Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8);
        INDArray view = base.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        assertEquals(run(ND4J_POOL, view.dup()), run(Resample2xOp::avgPool, view));
        assertEquals(run(ND4J_UP, view.dup()), run(Resample2xOp::upsample, view));
    }

    @Test
    void oddSidesAreRefusedByPooling() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 2, 5, 4);
        Exception e = assertThrows(RuntimeException.class, () -> run(Resample2xOp::avgPool, x));
        String message = String.valueOf(e.getMessage()) + e.getCause();
        assertTrue(message.contains("even H and W"), message);
    }

    private static INDArray run(BiFunction<SameDiff, SDVariable, SDVariable> op, INDArray x) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, x.shape());
        SDVariable y = op.apply(sd, in);
        return sd.output(Map.of("x", x), y.name()).get(y.name());
    }

    private static INDArray gradient(BiFunction<SameDiff, SDVariable, SDVariable> op, INDArray x) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("x", x.dup());
        SDVariable y = op.apply(sd, in);
        Nd4j.getRandom().setSeed(9);
        INDArray w = Nd4j.randn(DataType.FLOAT, y.eval().shape());
        SDVariable loss = y.mul(sd.constant(w)).sum();
        sd.setLossVariables(loss);
        return sd.calculateGradients(Map.of(), "x").get("x");
    }
}
