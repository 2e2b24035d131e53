package ai.onestep.train;

import ai.onestep.loss.Example;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.DropoutMasks;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.Network;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.TinyNets;
import ai.onestep.nn.UNet;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.UNetConfig;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gradient pass that reuses intermediate arrays gives SameDiff's own results bit for bit, step after step, on
 * every kind of network OneStep trains, and really does reuse arrays.
 */
class GradientPassTest {
    private static final Method CT = new Method.ConsistencyTraining(new IctCurriculum(10, 1280, 1000),
            LognormalIndex.standard(), Weighting.ICT, PseudoHuber.ict());

    @Test
    void unetWithAttentionScaleShiftDropoutAndClasses() {
        assertSameAsSameDiff(new UNet(TinyNets.unetA()), 3);
    }

    @Test
    void unetWithConvResamplingAndFourierEmbedding() {
        assertSameAsSameDiff(new UNet(TinyNets.unetB()), 0);
    }

    /** 64 channels: the decoder's 192-channel convolutions run as sums over slices, GroupNorm as the Java op. */
    @Test
    void unetWideEnoughForSlicedConvolutions() {
        assertSameAsSameDiff(new UNet(new UNetConfig(8, 3, 3, 64, List.of(1, 2), 1, List.of(4), 32, 0.0, true,
                false, 0, NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true)), 0);
    }

    @Test
    void mlp() {
        assertSameAsSameDiff(new Mlp(TinyNets.mlp()), 0);
    }

    /** A trainer reused by another thread (Spark's task threads) keeps one session's cache, not one per thread. */
    @Test
    void anotherThreadTakesOverTheCache() throws Exception {
        try (TrainStep step = reusingUnetA()) {
            Example ex = batchOfFour(Rng.of(3));
            Map<String, INDArray> masks = DropoutMasks.draw(step.dropoutSites(), 4, DataType.FLOAT, Rng.of(5));
            double loss = step.lossAndGradient(ex, masks);
            long cachedHere = step.gradientPass().cachedBytes();
            double[] lossThere = new double[1];
            for (int i = 0; i < 3; i++) {
                Thread other = new Thread(() -> lossThere[0] = step.lossAndGradient(ex, masks));
                other.start();
                other.join();
                assertEquals(loss, lossThere[0], 0.0);
            }
            assertTrue(cachedHere > 0);
            assertEquals(cachedHere, step.gradientPass().cachedBytes(), "one thread's cache, not four");
        }
    }

    /**
     * From the second step on a pass takes its arrays from the cache and leaves them there: the arrays the
     * session kept (requested outputs, inputs of backward ops the pass does not run) go back too. The caller's
     * inputs, fed again unchanged, are left alone: every step computes the same loss and gradient.
     */
    @Test
    void everyArrayReturnsToTheCacheButTheCallersInputs() {
        try (TrainStep step = reusingUnetA()) {
            Example ex = batchOfFour(Rng.of(30));
            Map<String, INDArray> masks = DropoutMasks.draw(step.dropoutSites(), 4, DataType.FLOAT, Rng.of(5));
            assertTrue(!masks.isEmpty(), "dropout masks are fed too");
            double loss = step.lossAndGradient(ex, masks);
            float[] gradient = step.gradient().toFloatVector();
            long first = step.gradientPass().cachedBytes();
            long second = 0;
            for (int i = 1; i < 5; i++) {
                assertEquals(loss, step.lossAndGradient(ex, masks), 0.0, "loss at step " + i);
                assertArrayEquals(gradient, step.gradient().toFloatVector(), 0f, "gradient at step " + i);
                long cached = step.gradientPass().cachedBytes();
                if (i == 1) {
                    second = cached;
                    assertTrue(second > first, "the kept arrays went back: " + second + " > " + first + " bytes");
                }
                // within 1%: an array whose memory another array object still references is closed instead of
                // cached (ND4J's use count), and whether that object was collected yet moves a few hundred bytes;
                // without the leftovers going back the cache moves by 6% here
                assertEquals(second, cached, second / 100.0, "cached bytes after step " + i);
            }
        }
    }

    private static TrainStep reusingUnetA() {
        TrainStep step = new TrainStep(new UNet(TinyNets.unetA()), CT.precond(), CT.distance(), DataType.FLOAT, true);
        step.bind(step.params().initialise(Rng.of(7)));
        return step;
    }

    private static Example batchOfFour(Rng rng) {
        return new Example(Tensors.gaussian(rng, DataType.FLOAT, 4, 2, 8, 8), new double[]{0.01, 0.3, 2, 40},
                new int[]{0, 1, 2, 0}, Tensors.gaussian(rng, DataType.FLOAT, 4, 2, 8, 8), new double[]{1, 1, 1, 1});
    }

    private static void assertSameAsSameDiff(Network net, int classes) {
        try (TrainStep reusing = new TrainStep(net, CT.precond(), CT.distance(), DataType.FLOAT, true);
             TrainStep plain = new TrainStep(net, CT.precond(), CT.distance(), DataType.FLOAT, false)) {
            INDArray p = reusing.params().initialise(Rng.of(7));
            INDArray pReusing = p.dup();
            INDArray pPlain = p.dup();
            reusing.bind(pReusing);
            plain.bind(pPlain);
            int batch = 4;
            long[] shape = net.sampleShape();
            long[] full = new long[shape.length + 1];
            full[0] = batch;
            System.arraycopy(shape, 0, full, 1, shape.length);
            for (int step = 0; step < 4; step++) {
                Rng rng = Rng.of(100 + step);
                int[] labels = null;
                if (classes > 0) {
                    labels = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        labels[i] = (i + step) % classes;
                    }
                }
                Example ex = new Example(Tensors.gaussian(rng, DataType.FLOAT, full), new double[]{0.01, 0.3, 2, 40},
                        labels, Tensors.gaussian(rng, DataType.FLOAT, full), new double[]{1, 0.5, 2, 1});
                Map<String, INDArray> masks = DropoutMasks.draw(reusing.dropoutSites(), batch, DataType.FLOAT,
                        Rng.of(200 + step));
                double lossReusing = reusing.lossAndGradient(ex, masks);
                double lossPlain = plain.lossAndGradient(ex, masks);
                assertEquals(lossPlain, lossReusing, 0.0, "loss at step " + step);
                float[] gReusing = reusing.gradient().toFloatVector();
                assertArrayEquals(plain.gradient().toFloatVector(), gReusing, 0f, "gradient at step " + step);
                assertTrue(reusing.gradient().norm2Number().doubleValue() > 0, "a gradient");
                pReusing.subi(reusing.gradient().mul(0.05));
                pPlain.subi(plain.gradient().mul(0.05));
            }
            long cachedReusing = reusing.gradientPass().cachedBytes();
            long cachedPlain = plain.gradientPass().cachedBytes();
            assertTrue(cachedReusing > 10 * cachedPlain, "intermediate arrays went back to the cache: " + cachedReusing
                    + " bytes against SameDiff's own pass's " + cachedPlain);
        }
    }
}
