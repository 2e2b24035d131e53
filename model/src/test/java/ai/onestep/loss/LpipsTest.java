package ai.onestep.loss;

import ai.onestep.ckpt.Npy;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LpipsTest {
    /** Random weights with the real LPIPS/VGG16 names and shapes (the real ones are user-provided). */
    static Path randomWeights(Path dir) throws IOException {
        Path f = dir.resolve("lpips-vgg.npz");
        Rng rng = Rng.of(4);
        try (OutputStream o = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(o)) {
            for (int l = 0; l < Lpips.BLOCKS.length; l++) {
                for (int j = 0; j < Lpips.BLOCKS[l].length; j++) {
                    long in = Lpips.CHANNELS[l][j];
                    long out = Lpips.CHANNELS[l][j + 1];
                    put(z, "features." + Lpips.BLOCKS[l][j] + ".weight", new long[]{out, in, 3, 3}, rng,
                            Math.sqrt(2.0 / (in * 9)));
                    put(z, "features." + Lpips.BLOCKS[l][j] + ".bias", new long[]{out}, rng, 0.01);
                }
                long c = Lpips.CHANNELS[l][Lpips.CHANNELS[l].length - 1];
                put(z, "lin" + l + ".model.1.weight", new long[]{1, c, 1, 1}, rng, -1);
            }
        }
        return f;
    }

    private static void put(ZipOutputStream z, String name, long[] shape, Rng rng, double std) throws IOException {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = std < 0 ? (float) rng.uniform() : (float) (rng.gaussian() * std);
        }
        z.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.writeFloats(z, shape, v);
        z.closeEntry();
    }

    @Test
    void bilinearWeightsMatchPytorchAlignCornersFalse() {
        // F.interpolate(torch.tensor([[[[a, b]]]]), size=(1, 4), mode="bilinear", align_corners=False)
        // = [a, 0.75a + 0.25b, 0.25a + 0.75b, b]
        double[][] m = Bilinear.interpolation(2, 4);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{1, 0}, m[0], 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{0.75, 0.25}, m[1], 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{0.25, 0.75}, m[2], 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{0, 1}, m[3], 1e-12);
    }

    @Test
    void missingWeightsFailWithOneClearLine(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lpips.load(dir.resolve("nope.npz")));
        assertTrue(e.getMessage().startsWith("LPIPS needs VGG16 and LPIPS linear weights"), e.getMessage());
        assertTrue(e.getMessage().contains("nope.npz"), e.getMessage());
    }

    @Test
    void isZeroOnEqualImagesPositiveOtherwiseAndDifferentiable(@TempDir Path dir) throws IOException {
        Lpips lpips = Lpips.load(randomWeights(dir));
        SameDiff sd = SameDiff.create();
        INDArray a0 = Tensors.gaussian(Rng.of(1), DataType.DOUBLE, 2, 3, 16, 16).muli(0.5);
        INDArray b0 = Tensors.gaussian(Rng.of(2), DataType.DOUBLE, 2, 3, 16, 16).muli(0.5);
        SDVariable a = sd.var("a", a0);
        SDVariable b = sd.placeHolder("b", DataType.DOUBLE, -1, 3, 16, 16);
        SDVariable d = lpips.perSample(sd, a, b, new long[]{3, 16, 16});
        SDVariable loss = d.sum();
        sd.updateVariableNameAndReference(loss, "loss");
        sd.setLossVariables("loss");
        INDArray same = sd.output(Map.of("b", a0.dup()), d.name()).get(d.name());
        assertEquals(0.0, same.getDouble(0), 1e-12);
        INDArray diff = sd.output(Map.of("b", b0), d.name()).get(d.name());
        assertTrue(diff.getDouble(0) > 0 && diff.getDouble(1) > 0, diff.toString());
        INDArray grad = sd.calculateGradients(Map.of("b", b0), "a").get("a");
        double eps = 1e-5;
        for (long i : new long[]{5, 300, 1000}) {
            double orig = a0.getDouble(i);
            sd.getArrForVarName("a").putScalar(i, orig + eps);
            double up = sd.output(Map.of("b", b0), "loss").get("loss").getDouble(0);
            sd.getArrForVarName("a").putScalar(i, orig - eps);
            double down = sd.output(Map.of("b", b0), "loss").get("loss").getDouble(0);
            sd.getArrForVarName("a").putScalar(i, orig);
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, grad.getDouble(i), 1e-4 * Math.max(1, Math.abs(numeric)), "d/da[" + i + "]");
        }
    }

    /** VGG's pooling is 2x2 averaging in the graph LPIPS builds (the original's replace_pooling=True). */
    @Test
    void poolsByAveraging(@TempDir Path dir) throws IOException {
        Lpips lpips = Lpips.load(randomWeights(dir));
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.placeHolder("a", DataType.FLOAT, -1, 3, 16, 16);
        lpips.perSample(sd, a, sd.placeHolder("b", DataType.FLOAT, -1, 3, 16, 16), new long[]{3, 16, 16});
        java.util.Set<String> ops = new java.util.TreeSet<>();
        for (var op : sd.ops()) {
            ops.add(op.opName());
        }
        assertTrue(ops.contains("avgpool2d") && !ops.contains("maxpool2d"), ops.toString());
    }

    /** l2-32 of a 64x64 image against zeros: the mean square of its 2x2 block averages (bilinear, halving). */
    @Test
    void l2At32ComparesTheImagesHalved() {
        INDArray a0 = Tensors.gaussian(Rng.of(3), DataType.DOUBLE, 2, 3, 64, 64);
        SameDiff sd = SameDiff.create();
        SDVariable d = new L2At32().perSample(sd, sd.constant(a0), sd.constant(a0.mul(0)), new long[]{3, 64, 64});
        INDArray got = d.eval();
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        double m = (a0.getDouble(n, c, 2 * i, 2 * j) + a0.getDouble(n, c, 2 * i + 1, 2 * j)
                                + a0.getDouble(n, c, 2 * i, 2 * j + 1) + a0.getDouble(n, c, 2 * i + 1, 2 * j + 1)) / 4;
                        sum += m * m;
                    }
                }
            }
            assertEquals(sum / (3 * 32 * 32), got.getDouble(n), 1e-12);
        }
    }
}
