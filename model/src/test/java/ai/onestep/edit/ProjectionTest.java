package ai.onestep.edit;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each projection keeps exactly what it must keep, and changes nothing it need not. */
class ProjectionTest {
    static INDArray uniform(long seed, long... shape) {
        return Tensors.gaussian(Rng.of(seed), DataType.FLOAT, shape).muli(0.5);
    }

    static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void inpaintingKeepsKnownPixelsBitForBitAndTheModelsElsewhere() {
        INDArray image = uniform(1, 2, 3, 8, 8);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8);
        mask.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all()).assign(1);
        INDArray x0 = uniform(2, 2, 3, 8, 8);
        INDArray out = new Inpaint(image, mask).project(x0);
        float[] o = out.data().asFloat();
        float[] y = image.data().asFloat();
        float[] x = x0.data().asFloat();
        for (int i = 0; i < o.length; i++) {
            boolean known = (i % 64) / 8 < 4;
            assertEquals(known ? y[i] : x[i], o[i], 0.0f, "pixel " + i);
        }
    }

    @Test
    void colorizationOutputLumaEqualsTheGrayInputAndOnlyLumaMoves() {
        INDArray gray = uniform(3, 2, 1, 6, 6);
        INDArray x0 = uniform(4, 2, 3, 6, 6);
        INDArray out = new Colorize(gray).project(x0);
        assertTrue(maxAbs(Colorize.luma(out).sub(gray)) < 1e-4, "luma differs by " + maxAbs(Colorize.luma(out).sub(gray)));
        // the change is along the luma weights: (out - x0) / w is the same for all three channels
        INDArray d = out.sub(x0);
        for (int c = 1; c < 3; c++) {
            INDArray ratio0 = d.get(NDArrayIndex.all(), NDArrayIndex.point(0)).div(Colorize.LUMA[0]);
            INDArray ratioC = d.get(NDArrayIndex.all(), NDArrayIndex.point(c)).div(Colorize.LUMA[c]);
            assertTrue(maxAbs(ratio0.sub(ratioC)) < 1e-4, "channel " + c + " moved off the luma direction");
        }
        // projecting twice changes nothing more
        assertTrue(maxAbs(new Colorize(gray).project(out).sub(out)) < 1e-5);
    }

    @Test
    void superResolutionPatchMeansEqualTheLowResolutionInput() {
        INDArray low = uniform(5, 2, 3, 4, 4);
        INDArray x0 = uniform(6, 2, 3, 16, 16);
        assertEquals(4, SuperResolution.factor(4, 16));
        INDArray out = new SuperResolution(low, 4).project(x0);
        assertArrayEquals(new long[]{2, 3, 16, 16}, out.shape());
        INDArray means = SuperResolution.patchMeans(out, 4);
        assertTrue(maxAbs(means.sub(low)) < 1e-4, "patch means differ by " + maxAbs(means.sub(low)));
        // within a patch the change is one constant: detail inside the patch is the model's
        INDArray d = out.sub(x0);
        assertEquals(d.getDouble(1, 2, 4, 4), d.getDouble(1, 2, 7, 7), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> SuperResolution.factor(5, 16));
    }

    @Test
    void editingLoopEndsOnAProjectedEstimateAndUsesEveryTime() {
        int[] calls = {0};
        Denoiser f = (x, sigma, labels) -> {
            calls[0]++;
            return x.mul(0.5); // any map: the loop must still end inside the constraint set
        };
        INDArray image = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(uniform(7, 3, 1, 8, 8), -1.0), 1.0);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 1, 1, 8, 8);
        mask.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.all()).assign(0);
        Editor editor = new Editor(new double[]{80, 20, 1}, 0.002);
        INDArray start = Tensors.gaussian(Rng.of(8), DataType.FLOAT, 3, 1, 8, 8).muli(80);
        INDArray out = editor.run(f, new Inpaint(image, mask), start, null, Rng.of(9));
        assertEquals(3, calls[0]);
        INDArray top = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        INDArray want = image.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        assertEquals(0.0, maxAbs(top.sub(want)), 0.0);
        assertTrue(out.maxNumber().doubleValue() <= 1 && out.minNumber().doubleValue() >= -1);
        assertThrows(IllegalArgumentException.class, () -> new Editor(new double[]{1, 20}, 0.002));
    }

    @Test
    void resamplingVisitsEveryLaterTimeRepeatsTimesAndStillEndsProjected() {
        java.util.List<Double> seen = new java.util.ArrayList<>();
        Denoiser f = (x, sigma, labels) -> {
            seen.add(sigma[0]);
            return x.mul(0.5);
        };
        INDArray image = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(uniform(12, 2, 1, 8, 8), -1.0), 1.0);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 1, 1, 8, 8);
        mask.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all()).assign(0);
        INDArray start = Tensors.gaussian(Rng.of(13), DataType.FLOAT, 2, 1, 8, 8).muli(80);
        INDArray out = new Editor(new double[]{80, 20, 1}, 0.002, 3).run(f, new Inpaint(image, mask), start, null,
                Rng.of(14));
        assertEquals(java.util.List.of(80.0, 20.0, 20.0, 20.0, 1.0, 1.0, 1.0), seen);
        INDArray low = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.all());
        INDArray want = image.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.all());
        assertEquals(0.0, maxAbs(low.sub(want)), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new Editor(new double[]{80, 1}, 0.002, 0));
    }

    @Test
    void slerpStartsAndEndsAtTheLatentsAndKeepsTheirNorm() {
        INDArray z1 = Tensors.gaussian(Rng.of(10), DataType.DOUBLE, 1, 3, 16, 16);
        INDArray z2 = Tensors.gaussian(Rng.of(11), DataType.DOUBLE, 1, 3, 16, 16);
        INDArray path = Interpolation.slerp(z1, z2, new double[]{0, 0.5, 1});
        assertTrue(maxAbs(path.get(NDArrayIndex.point(0)).sub(z1.get(NDArrayIndex.point(0)))) < 1e-9);
        assertTrue(maxAbs(path.get(NDArrayIndex.point(2)).sub(z2.get(NDArrayIndex.point(0)))) < 1e-9);
        double mid = path.get(NDArrayIndex.point(1)).norm2Number().doubleValue();
        double ends = (z1.norm2Number().doubleValue() + z2.norm2Number().doubleValue()) / 2;
        assertEquals(ends, mid, 0.03 * ends, "the midpoint keeps the latents' norm (linear would shrink it ~30%)");
    }
}
