package ai.onestep.nn;

import ai.onestep.loss.Distance;
import ai.onestep.loss.Example;
import ai.onestep.loss.L1;
import ai.onestep.loss.L2;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.precond.EdmPrecond;
import ai.onestep.precond.Precond;
import ai.onestep.train.TrainStep;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central differences in double precision against SameDiff's gradients, for every parameter tensor of networks that
 * together contain every block (conv, linear, GroupNorm, attention in both qkv orders, residual blocks with added and
 * scale-shift conditioning, residual and conv up/down-sampling, positional/Fourier embeddings, label embedding,
 * dropout, MLP) and for each distance.
 */
class GradientCheckTest {
    private static final double EPS = 1e-6;

    @Test
    void unetWithScaleShiftAttentionUpDownLabelsDropout() {
        check(new UNet(TinyNets.unetA()), ConsistencyPrecond.standard(), new L2(), 1);
    }

    @Test
    void unetWithScaleShiftAtBatchOne() {
        // a single example per batch once crashed the scale/shift split's backward (SameDiff strided slice)
        check(new UNet(TinyNets.unetA()), ConsistencyPrecond.standard(), new L2(), 6, 1);
    }

    @Test
    void unetWithConvResampleNewAttentionOrderFourier() {
        check(new UNet(TinyNets.unetB()), EdmPrecond.standard(), new PseudoHuber(0.03), 2);
    }

    @Test
    void mlpWithEachDistance() {
        check(new Mlp(TinyNets.mlp()), ConsistencyPrecond.standard(), new L2(), 3);
        check(new Mlp(TinyNets.mlp()), ConsistencyPrecond.standard(), PseudoHuber.ict(), 4);
        check(new Mlp(TinyNets.mlp()), EdmPrecond.standard(), new L1(), 5);
    }

    @Test
    void latentMlpOnImages() {
        // 2x3x3 images (dim 18) denoised in 4 latent dimensions; the frozen mean and basis get exactly no gradient
        Mlp net = new Mlp(new Mlp.Config(18, 16, 2, 8, NoiseEmbedding.POSITIONAL, java.util.List.of(2, 3, 3), 4));
        check(net, ConsistencyPrecond.standard(), new PseudoHuber(0.01), 6);
        check(net, EdmPrecond.standard(), new L2(), 7);
    }

    @Test
    void classConditionalMlp() {
        // images (dim 18) with 4 classes; the test's batch asks for classes 0, 2 and 1
        Mlp net = new Mlp(new Mlp.Config(18, 16, 2, 8, NoiseEmbedding.POSITIONAL, java.util.List.of(2, 3, 3), 0, 4));
        check(net, ConsistencyPrecond.standard(), new PseudoHuber(0.01), 8);
        check(net, EdmPrecond.standard(), new L2(), 9);
        // the label reaches the loss through exactly the rows of the classes asked for
        TrainStep step = new TrainStep(net, ConsistencyPrecond.standard(), new L2(), DataType.DOUBLE);
        Rng rng = Rng.of(10);
        step.bind(Tensors.gaussian(rng, DataType.DOUBLE, step.params().size()).muli(0.3));
        INDArray x = Tensors.gaussian(rng, DataType.DOUBLE, 3, 2, 3, 3);
        Example ex = new Example(x, new double[]{0.05, 0.7, 9.0}, new int[]{0, 2, 1},
                Tensors.gaussian(rng, DataType.DOUBLE, 3, 2, 3, 3), new double[]{1.0, 0.5, 2.0});
        step.lossAndGradient(ex, Map.of());
        INDArray table = ParamStore.view(step.gradient(), step.params().spec("label_emb.weight")).reshape(4, 16);
        for (int c = 0; c < 4; c++) {
            double norm = table.getRow(c).norm2Number().doubleValue();
            assertTrue(c == 3 ? norm == 0 : norm > 1e-6, "class " + c + " embedding gradient norm " + norm);
        }
    }

    private static void check(Network net, Precond precond, Distance distance, long seed) {
        check(net, precond, distance, seed, 3);
    }

    private static void check(Network net, Precond precond, Distance distance, long seed, int n) {
        TrainStep step = new TrainStep(net, precond, distance, DataType.DOUBLE);
        Rng rng = Rng.of(seed);
        // random (not zero) parameters everywhere, so zero-initialised output layers still pass gradients through
        INDArray params = Tensors.gaussian(rng, DataType.DOUBLE, step.params().size()).muli(0.3);
        step.bind(params);
        long[] shape = net.sampleShape();
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        INDArray x = Tensors.gaussian(rng, DataType.DOUBLE, full);
        INDArray y = Tensors.gaussian(rng, DataType.DOUBLE, full);
        int[] labels = net.numClasses() > 0 ? Arrays.copyOf(new int[]{0, 2, 1}, n) : null;
        Example ex = new Example(x, Arrays.copyOf(new double[]{0.05, 0.7, 9.0}, n), labels, y,
                Arrays.copyOf(new double[]{1.0, 0.5, 2.0}, n));
        Map<String, INDArray> masks = DropoutMasks.draw(step.dropoutSites(), n, DataType.DOUBLE, rng);
        step.lossAndGradient(ex, masks);
        INDArray analytic = step.gradient().dup();
        int checked = 0;
        double worst = 0;
        String worstName = "";
        int trainable = 0;
        for (ParamStore.Spec s : step.params().specs()) {
            if (s.frozen()) { // a buffer fitted from data: no gradient at all, so the optimizer never moves it
                assertEquals(0.0, ParamStore.view(analytic, s).amaxNumber().doubleValue(), s.name());
                continue;
            }
            trainable++;
            for (int probe = 0; probe < 2; probe++) {
                long i = s.offset() + (probe == 0 ? 0 : rng.nextInt((int) s.length()));
                double orig = params.getDouble(i);
                params.putScalar(i, orig + EPS);
                double up = step.loss(ex, masks);
                params.putScalar(i, orig - EPS);
                double down = step.loss(ex, masks);
                params.putScalar(i, orig);
                double numeric = (up - down) / (2 * EPS);
                double a = analytic.getDouble(i);
                double err = Math.abs(numeric - a) / Math.max(1e-6, Math.abs(numeric) + Math.abs(a));
                if (Math.abs(numeric - a) < 1e-8) {
                    err = 0; // both (near) zero
                }
                if (err > worst) {
                    worst = err;
                    worstName = s.name() + " numeric=" + numeric + " analytic=" + a;
                }
                checked++;
            }
        }
        assertTrue(checked >= 2 * trainable && trainable > 0);
        assertTrue(worst < 1e-4, net.describe() + " " + distance + ": worst relative error " + worst + " at " + worstName);
    }
}
