package ai.onestep.nn;

import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UNet laid out channels-last computes the same function as in NCHW, with the same parameters: outputs of the
 * forward-only and the differentiated graphs, and the gradient of every parameter (double precision). NCHW's gradients
 * are checked against central differences in {@link GradientCheckTest}.
 */
class UNetLayoutTest {
    @ParameterizedTest(name = "unet{0}")
    @ValueSource(strings = {"A", "B"})
    void nhwcEqualsNchw(String which) {
        UNet net = new UNet(which.equals("A") ? TinyNets.unetA() : TinyNets.unetB());
        Rng rng = Rng.of(21);
        INDArray x = Tensors.gaussian(rng, DataType.DOUBLE, 3, net.config().inChannels(), 8, 8);
        INDArray weights = Tensors.gaussian(rng, DataType.DOUBLE, 3, net.config().outChannels(), 8, 8);
        double[] sigma = {0.05, 0.7, 9.0};
        int[] labels = net.numClasses() > 0 ? new int[]{0, 2, 1} : null;
        INDArray params = null;
        INDArray[] outputs = new INDArray[4];
        List<Map<String, INDArray>> grads = new ArrayList<>();
        int k = 0;
        for (Layout layout : Layout.values()) {
            for (boolean differentiated : new boolean[]{false, true}) {
                DenoiserGraph g = DenoiserGraph.build(net, DataType.DOUBLE, false, differentiated, layout);
                if (params == null) {
                    params = Tensors.gaussian(rng, DataType.DOUBLE, g.params().size()).muli(0.3);
                }
                g.params().bind(params);
                Map<String, INDArray> feed = g.feed(x, sigma, labels, ConsistencyPrecond.standard());
                outputs[k++] = g.run(feed).dup();
                if (differentiated) {
                    SDVariable loss = g.output().mul(g.sd().constant(weights)).sum();
                    g.sd().setLossVariables(loss);
                    Map<String, INDArray> gradients = new java.util.HashMap<>();
                    g.sd().calculateGradients(feed, g.params().names()).forEach((n, a) -> gradients.put(n, a.dup()));
                    grads.add(gradients);
                }
            }
        }
        assertArrayEquals(new long[]{3, net.config().outChannels(), 8, 8}, outputs[2].shape(), "NCHW output");
        for (int i = 1; i < 4; i++) {
            assertEquals(0, outputs[0].sub(outputs[i]).amaxNumber().doubleValue(), 1e-9, "output " + i);
        }
        int compared = 0;
        for (Map.Entry<String, INDArray> e : grads.get(0).entrySet()) {
            INDArray nhwc = grads.get(1).get(e.getKey());
            double scale = Math.max(1e-3, e.getValue().amaxNumber().doubleValue());
            assertEquals(0, e.getValue().sub(nhwc).amaxNumber().doubleValue() / scale, 1e-9, e.getKey());
            compared++;
        }
        assertTrue(compared > 20, "compared " + compared + " parameter gradients");
    }
}
