package ai.onestep.nn;

import org.junit.jupiter.api.Test;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A differentiated convolution whose input channels are not a power of two (here 192 = 3 x 64) runs as a sum over
 * channel slices of at least 64 channels; it computes the same output and the same gradients (input, weight, bias) as
 * the single convolution of a forward-only graph, in double precision.
 */
class ConvChunksTest {
    @ParameterizedTest(name = "{0} channels -> {1}")
    @CsvSource({"192, 3", "384, 3", "320, 5", "576, 9", "96, 1", "160, 1", "24, 1", "128, 1", "3, 1", "12, 1"})
    void slicesAreThePowerOfTwoDivisor(long channels, int slices) {
        assertEquals(slices, Layers.inputChunks(channels));
    }

    @Test
    void chunkedEqualsSingleConvolution() {
        Rng rng = Rng.of(5);
        INDArray x = Tensors.gaussian(rng, DataType.DOUBLE, 2, 192, 5, 5);
        INDArray weights = Tensors.gaussian(rng, DataType.DOUBLE, 2, 4, 5, 5);
        INDArray params = null;
        List<Map<String, INDArray>> results = new ArrayList<>();
        for (boolean differentiated : new boolean[]{false, true}) {
            SameDiff sd = SameDiff.create();
            ParamStore store = ParamStore.forGraph(sd, DataType.DOUBLE);
            NetContext c = new NetContext(sd, store, false, differentiated);
            SDVariable in = sd.var("x", x.dup());
            // the reference: one convolution of the permuted weight, as Layers builds it without slices
            SDVariable y = differentiated ? Layers.conv2d(c, "conv", in, 192, 4, 3, 1, false)
                    : sd.cnn().conv2d(in, store.declare("conv.weight", Init.fanIn(192 * 9), 4, 192, 3, 3)
                    .permute(2, 3, 1, 0), store.declare("conv.bias", Init.fanIn(192 * 9), 4),
                    org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder().kH(3).kW(3)
                            .sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                            .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.VALID)
                            .dataFormat("NCHW").build());
            SDVariable loss = y.mul(sd.constant(weights)).sum();
            sd.setLossVariables(loss);
            if (params == null) {
                params = Tensors.gaussian(rng, DataType.DOUBLE, store.size());
            }
            store.bind(params);
            long convs = sd.getOps().values().stream().filter(o -> o.getOp().opName().equals("conv2d")).count();
            assertEquals(differentiated ? 3 : 1, convs, "convolutions in the " + (differentiated ? "sliced" : "reference")
                    + " graph");
            Map<String, INDArray> r = new HashMap<>();
            r.put("y", sd.output(Map.of(), y.name()).get(y.name()).dup());
            List<String> wrt = new ArrayList<>(store.names());
            wrt.add("x");
            sd.calculateGradients(Map.of(), wrt).forEach((n, a) -> r.put(n, a.dup()));
            results.add(r);
        }
        assertEquals(4, results.get(0).size(), "output and three gradients");
        for (Map.Entry<String, INDArray> e : results.get(0).entrySet()) {
            INDArray chunked = results.get(1).get(e.getKey());
            double scale = e.getValue().amaxNumber().doubleValue();
            assertTrue(scale > 0, e.getKey());
            assertEquals(0, e.getValue().sub(chunked).amaxNumber().doubleValue() / scale, 1e-12, e.getKey());
        }
    }

    /** An inference graph reads PyTorch's weight layout directly: the same outputs as the differentiated graph. */
    @Test
    void forwardOnlyConvolutionEqualsTheTrainingOne() {
        Rng rng = Rng.of(6);
        INDArray x = Tensors.gaussian(rng, DataType.DOUBLE, 2, 6, 7, 7);
        INDArray params = null;
        List<INDArray> outs = new ArrayList<>();
        for (boolean differentiated : new boolean[]{false, true}) {
            for (int stride : new int[]{1, 2}) {
                SameDiff sd = SameDiff.create();
                ParamStore store = ParamStore.forGraph(sd, DataType.DOUBLE);
                NetContext c = differentiated ? new NetContext(sd, store, false, true)
                        : new NetContext(sd, store, false, false, true);
                SDVariable y = Layers.conv2d(c, "conv",
                        sd.var("x", x.dup()), 6, 5, 3, stride, false);
                if (params == null) {
                    params = Tensors.gaussian(rng, DataType.DOUBLE, store.size());
                }
                store.bind(params);
                outs.add(sd.output(Map.of(), y.name()).get(y.name()).dup());
            }
        }
        assertEquals(0, outs.get(0).sub(outs.get(2)).amaxNumber().doubleValue(), 1e-12, "stride 1");
        assertEquals(0, outs.get(1).sub(outs.get(3)).amaxNumber().doubleValue(), 1e-12, "stride 2");
    }
}
