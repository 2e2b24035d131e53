package ai.onestep.kernel;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java permute (convolution kernels' layout change) against ND4J's, values and gradients. */
class PermuteOpTest {
    private static INDArray run(INDArray x, int... p) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", x.dataType(), x.shape());
        SDVariable y = PermuteOp.apply(sd, in, p);
        return sd.output(Map.of("x", x), y.name()).get(y.name());
    }

    @Test
    void copiesEveryElementToItsPermutedPlaceInFloatAndDouble() {
        Nd4j.getRandom().setSeed(3);
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray w = Nd4j.rand(type, 5, 4, 3, 2);
            for (int[] p : new int[][]{{2, 3, 1, 0}, {0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}}) {
                INDArray got = run(w, p);
                INDArray want = w.permute(p).dup('c');
                assertArrayEquals(want.shape(), got.shape(), Arrays.toString(p));
                assertEquals(want, got, type + " " + Arrays.toString(p));
            }
            INDArray m = Nd4j.rand(type, 7, 3);
            assertEquals(m.transpose().dup('c'), run(m, 1, 0));
        }
    }

    @Test
    void readsViewsWithOffsetsAndStrides() {
        Nd4j.getRandom().setSeed(4);
        INDArray big = Nd4j.rand(DataType.FLOAT, 6, 5, 4, 3);
        INDArray view = big.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all(), NDArrayIndex.interval(1, 3),
                NDArrayIndex.all()); // offset and non-contiguous
        INDArray out = Nd4j.create(DataType.FLOAT, 3, 3, 5, 2);
        PermuteOp op = new PermuteOp();
        op.addIArgument(3, 0, 1, 2);
        op.compute(new INDArray[]{view}, new INDArray[]{out});
        assertEquals(view.permute(3, 0, 1, 2).dup('c'), out);
    }

    @Test
    void itsGradientIsTheInversePermutation() {
        Nd4j.getRandom().setSeed(5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 4, 3, 3, 2);
        INDArray weights = Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 4);
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("w", w);
        SDVariable loss = PermuteOp.apply(sd, v, 2, 3, 1, 0).mul(sd.constant(weights)).sum();
        sd.setLossVariables(loss);
        INDArray grad = sd.calculateGradients(Map.of(), List.of("w")).get("w");
        assertEquals(weights.permute(3, 2, 0, 1), grad); // d/dw sum(w.permute(p) * c) = c.permute(p^-1)
        assertEquals(2, Arrays.stream(sd.getFunction("grad").ops()).filter(o -> o.opName().equals("onestep_permute"))
                .count(), "forward and backward both Java");
        assertTrue(Arrays.stream(sd.getFunction("grad").ops()).noneMatch(o -> o.opName().equals("permute")));
    }

    @Test
    void refusesWhatIsNotAPermutation() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> PermuteOp.apply(sd, x, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PermuteOp.apply(sd, x, 1, 2));
    }
}
