package ai.onestep.loss;

import ai.onestep.ckpt.Npy;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * LPIPS (Zhang et al. 2018) with the VGG16 backbone, as the Consistency Models CD/CT runs use: inputs in [-1, 1]
 * are shifted and scaled, VGG16 features at relu1_2, relu2_2, relu3_3, relu4_3, relu5_3 are unit-normalised over
 * channels, their squared differences weighted by the learned 1x1 "lin" layers, averaged over space and summed.
 * Inputs smaller than 256 pixels are first resized bilinearly to 224, and VGG's max pooling is replaced by 2x2
 * average pooling, as the original code's {@code piq.LPIPS(replace_pooling=True)}.
 *
 * <p>The weights are not shipped: the user provides one .npz with torchvision's VGG16 names
 * ({@code features.0.weight} ... {@code features.28.bias}, [out, in, 3, 3]) and LPIPS' linear layers
 * ({@code lin0.model.1.weight} ... {@code lin4.model.1.weight}, [1, C, 1, 1]). The weights are constants of the
 * graph (never trained).
 */
public final class Lpips implements Distance {
    static final int[][] BLOCKS = {{0, 2}, {5, 7}, {10, 12, 14}, {17, 19, 21}, {24, 26, 28}};
    static final int[][] CHANNELS = {{3, 64, 64}, {64, 128, 128}, {128, 256, 256, 256}, {256, 512, 512, 512},
            {512, 512, 512, 512}};
    private static final double[] SHIFT = {-0.030, -0.088, -0.188};
    private static final double[] SCALE = {0.458, 0.448, 0.450};

    private final Map<String, Npy.Array> weights;
    private final String source;

    private Lpips(Map<String, Npy.Array> weights, String source) {
        this.weights = weights;
        this.source = source;
    }

    /** Loads the weights from a local file, failing with one clear line when it is absent or incomplete. */
    public static Lpips load(Path npz) {
        if (npz == null || !Files.isRegularFile(npz)) {
            throw new IllegalArgumentException("LPIPS needs VGG16 and LPIPS linear weights as one .npz file; "
                    + "not found: " + npz + " (README, Training: method.lpipsWeights)");
        }
        try (InputStream in = Files.newInputStream(npz)) {
            return read(in, npz.toString());
        } catch (IOException ex) {
            throw new IllegalArgumentException("LPIPS weights " + npz + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    /** Reads the weights from an .npz stream ({@code source} names it in messages). */
    public static Lpips read(InputStream npz, String source) {
        Map<String, Npy.Array> w = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(npz)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                w.put(e.getName().replaceAll("\\.npy$", ""), Npy.read(zip));
            }
        } catch (IOException ex) {
            throw new IllegalArgumentException("LPIPS weights " + source + " cannot be read: " + ex.getMessage(), ex);
        }
        for (String name : requiredNames()) {
            if (!w.containsKey(name)) {
                throw new IllegalArgumentException("LPIPS weights " + source + " lack " + name);
            }
        }
        return new Lpips(w, source);
    }

    static java.util.List<String> requiredNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int[] block : BLOCKS) {
            for (int idx : block) {
                names.add("features." + idx + ".weight");
                names.add("features." + idx + ".bias");
            }
        }
        for (int l = 0; l < BLOCKS.length; l++) {
            names.add("lin" + l + ".model.1.weight");
        }
        return names;
    }

    private SDVariable constant(SameDiff sd, String name, DataType dtype) {
        Npy.Array a = weights.get(name);
        INDArray arr = a.floats() != null ? Nd4j.createFromArray(a.floats()) : Nd4j.createFromArray(a.doubles());
        return sd.constant(arr.castTo(dtype).reshape(a.shape()));
    }

    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        if (sampleShape.length != 3 || sampleShape[0] != 3) {
            throw new IllegalArgumentException("LPIPS compares RGB images [3, H, W]; got sample shape "
                    + java.util.Arrays.toString(sampleShape));
        }
        DataType dt = a.dataType();
        SDVariable fa = prepare(sd, a, sampleShape, dt);
        SDVariable fb = prepare(sd, b, sampleShape, dt);
        SDVariable total = null;
        for (int l = 0; l < BLOCKS.length; l++) {
            if (l > 0) {
                fa = avgPool(sd, fa);
                fb = avgPool(sd, fb);
            }
            for (int j = 0; j < BLOCKS[l].length; j++) {
                String n = "features." + BLOCKS[l][j];
                fa = conv(sd, fa, n, dt);
                fb = conv(sd, fb, n, dt);
            }
            SDVariable d = unit(sd, fa).sub(unit(sd, fb));
            SDVariable w = constant(sd, "lin" + l + ".model.1.weight", dt);
            SDVariable weighted = sd.cnn().conv2d(d.mul(d), w.permute(2, 3, 1, 0), conf(1));
            SDVariable layer = weighted.mean(1, 2, 3);
            total = total == null ? layer : total.add(layer);
        }
        return total;
    }

    private SDVariable prepare(SameDiff sd, SDVariable x, long[] shape, DataType dt) {
        SDVariable shift = sd.constant(Nd4j.createFromArray(SHIFT).castTo(dt).reshape(1, 3, 1, 1));
        SDVariable scale = sd.constant(Nd4j.createFromArray(SCALE).castTo(dt).reshape(1, 3, 1, 1));
        SDVariable y = x;
        if (shape[1] < 256) {
            y = Bilinear.resize(sd, y, shape[0], shape[1], shape[2], 224, dt);
        }
        return y.sub(shift).div(scale);
    }

    private SDVariable conv(SameDiff sd, SDVariable x, String name, DataType dt) {
        SDVariable w = constant(sd, name + ".weight", dt);
        SDVariable b = constant(sd, name + ".bias", dt);
        return sd.nn().relu(sd.cnn().conv2d(x, w.permute(2, 3, 1, 0), b, conf(3)), 0);
    }

    private static Conv2DConfig conf(int k) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(k / 2).pW(k / 2).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
    }

    private static SDVariable avgPool(SameDiff sd, SDVariable x) {
        return sd.cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    /** x / (||x||_channels + 1e-10), LPIPS' normalize_tensor. */
    private static SDVariable unit(SameDiff sd, SDVariable x) {
        return x.div(sd.math().sqrt(x.mul(x).sum(true, 1)).add(1e-10));
    }

    @Override
    public String toString() {
        return "LPIPS(" + source + ")";
    }
}
