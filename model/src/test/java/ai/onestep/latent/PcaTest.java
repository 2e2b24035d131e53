package ai.onestep.latent;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.ParamStore;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PCA fit, and a latent MLP built on it: a denoiser whose outputs lie in the fitted affine subspace. */
class PcaTest {
    /** 500 images of 1x3x4 (dim 12) = mean + three known orthogonal directions with standard deviations 3, 2, 1. */
    static INDArray subspaceData(long seed) {
        Rng rng = Rng.of(seed);
        double[][] dirs = new double[3][12];
        for (int j = 0; j < 3; j++) {
            dirs[j][2 * j] = Math.sqrt(0.5);
            dirs[j][2 * j + 1] = -Math.sqrt(0.5); // orthonormal: disjoint supports
        }
        double[] sd = {3, 2, 1};
        float[] x = new float[500 * 12];
        for (int i = 0; i < 500; i++) {
            for (int d = 0; d < 12; d++) {
                x[i * 12 + d] = 0.1f * d;
            }
            for (int j = 0; j < 3; j++) {
                double a = rng.gaussian() * sd[j];
                for (int d = 0; d < 12; d++) {
                    x[i * 12 + d] += (float) (a * dirs[j][d]);
                }
            }
        }
        return Nd4j.createFromArray(x).reshape(500, 1, 3, 4);
    }

    @Test
    void recoversASubspaceWithOrthonormalOrderedComponents() {
        INDArray x = subspaceData(1);
        Pca pca = Pca.fit(x, 3);
        assertEquals(0.0, 1 - pca.explained(), 1e-6, "three components hold all of the variance");
        assertTrue(pca.variances()[0] > pca.variances()[1] && pca.variances()[1] > pca.variances()[2]);
        assertEquals(9, pca.variances()[0], 2.0);
        assertEquals(1, pca.variances()[2], 0.3);
        INDArray b = Nd4j.createFromArray(pca.basis()).reshape(3, 12).castTo(DataType.DOUBLE);
        INDArray gram = b.mmul(b.transpose());
        assertTrue(gram.sub(Nd4j.eye(3).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-5, "orthonormal: " + gram);
        // projection onto the fitted affine subspace reproduces every image
        INDArray flat = x.reshape(500, 12).castTo(DataType.DOUBLE);
        INDArray mean = Nd4j.createFromArray(pca.mean()).castTo(DataType.DOUBLE).reshape(1, 12);
        INDArray centred = flat.subRowVector(mean);
        INDArray recon = centred.mmul(b.transpose()).mmul(b).addRowVector(mean);
        assertTrue(recon.sub(flat).amaxNumber().doubleValue() < 1e-4);
        // a deterministic orientation: each component's largest-magnitude entry is positive
        for (int j = 0; j < 3; j++) {
            double[] row = b.getRow(j).toDoubleVector();
            int arg = 0;
            for (int d = 1; d < row.length; d++) {
                arg = Math.abs(row[d]) > Math.abs(row[arg]) ? d : arg;
            }
            assertTrue(row[arg] > 0, "component " + j);
        }
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, 12), "k must stay below dim");
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 2));
    }

    @Test
    void rankDeficientDataLikeTenRepeatedShapesStillDecompose() {
        // 300 images of ten distinct 10x10 shapes: covariance of rank 9 in 100 dimensions, 91 zero eigenvalues
        float[] x = new float[300 * 100];
        for (int i = 0; i < 300; i++) {
            for (int p = 0; p < 100; p++) {
                x[i * 100 + p] = Math.abs(p % 10 - 5) + Math.abs(p / 10 - 5) < 1 + i % 10 ? 1f : -1f;
            }
        }
        Pca pca = Pca.fit(Nd4j.createFromArray(x).reshape(300, 1, 10, 10), 16);
        assertEquals(1.0, pca.explained(), 1e-9);
        assertTrue(pca.variances()[8] > 1e-3 && pca.variances()[9] < 1e-9, java.util.Arrays.toString(pca.variances()));
        INDArray b = Nd4j.createFromArray(pca.basis()).reshape(16, 100).castTo(DataType.DOUBLE);
        assertTrue(b.mmul(b.transpose()).sub(Nd4j.eye(16).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-5,
                "still orthonormal where the variance is zero");
    }

    static Mlp latentNet() {
        return new Mlp(new Mlp.Config(12, 32, 2, 8, NoiseEmbedding.POSITIONAL, List.of(1, 3, 4), 2));
    }

    static TrainerConfig ct() {
        Method m = new Method.ConsistencyTraining(new IctCurriculum(10, 40, 50), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        return new TrainerConfig(m, TrainerConfig.OptimizerKind.ADAM, 1e-3, 100, List.of(0.9), 3, DataType.FLOAT);
    }

    @Test
    void aLatentMlpDenoisesInsideTheFittedSubspaceAndNeverMovesItsBuffers() {
        INDArray x = subspaceData(2);
        Mlp net = latentNet();
        Pca pca = Pca.fit(x, 2);
        ParamStore layout = DenoiserGraph.layout(net);
        assertEquals(List.of(Mlp.LATENT_MEAN, Mlp.LATENT_BASIS), layout.frozen().stream().map(ParamStore.Spec::name).toList());
        INDArray init = Trainer.initialParams(ct(), layout);
        net.writeLatent(pca, layout, init);
        INDArray buffers = frozen(layout, init);
        try (Trainer t = new Trainer(ct(), net, null, init)) {
            Rng rng = Rng.of(4);
            for (int i = 0; i < 20; i++) {
                int[] idx = new int[32];
                for (int j = 0; j < 32; j++) {
                    idx[j] = rng.nextInt(500);
                }
                assertTrue(Double.isFinite(t.step(x.get(Nd4j.createFromArray(idx)), null)));
            }
            assertTrue(t.params().sub(init).amaxNumber().doubleValue() > 1e-4, "the network trained");
            assertEquals(buffers, frozen(layout, t.params()), "the optimizer never moves a frozen buffer");
            assertTrue(frozen(layout, t.emas().get(0.9)).sub(buffers).amaxNumber().doubleValue() < 1e-6,
                    "the EMA of a constant stays that constant");
            // D(x, sigma) = decode(D_latent(encode(x))): outputs lie in mean + span(basis), whatever the input
            INDArray noisy = Tensors.gaussian(Rng.of(5), DataType.FLOAT, 8, 1, 3, 4).muli(5);
            INDArray out = t.denoiser(0.9).denoise(noisy, 2.0, null).reshape(8, 12).castTo(DataType.DOUBLE);
            INDArray b = Nd4j.createFromArray(pca.basis()).reshape(2, 12).castTo(DataType.DOUBLE);
            INDArray mean = Nd4j.createFromArray(pca.mean()).castTo(DataType.DOUBLE).reshape(1, 12);
            INDArray c = out.subRowVector(mean);
            INDArray residual = c.sub(c.mmul(b.transpose()).mmul(b));
            assertTrue(residual.amaxNumber().doubleValue() < 1e-4, "outside the subspace by " + residual.amaxNumber());
            // at sigma_min the consistency boundary condition holds in the latent space: D(x) = projection of x
            INDArray inside = Tensors.gaussian(Rng.of(6), DataType.DOUBLE, 8, 2).mmul(b).addRowVector(mean)
                    .castTo(DataType.FLOAT).reshape(8, 1, 3, 4);
            INDArray same = t.denoiser(0.9).denoise(inside, 0.002, null);
            double moved = same.sub(inside).amaxNumber().doubleValue();
            assertTrue(moved < 1e-4, "an image inside the subspace at sigma_min is returned as it is (moved " + moved + ")");
        }
    }

    static INDArray frozen(ParamStore layout, INDArray flat) {
        return Nd4j.concat(0, layout.frozen().stream().map(s -> ParamStore.view(flat, s).reshape(-1).dup())
                .toArray(INDArray[]::new));
    }
}
