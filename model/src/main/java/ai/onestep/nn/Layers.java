package ai.onestep.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * The building blocks shared by every network, each declaring its parameters under the PyTorch state-dict name.
 * Tensors are NCHW.
 */
public final class Layers {
    private Layers() {
    }

    /** Conv2d with bias, "same" padding for odd kernels; weight [out, in, k, k] as PyTorch. */
    public static SDVariable conv2d(NetContext c, String name, SDVariable x, long in, long out, int k, int stride,
                                    boolean zeroInit) {
        long fanIn = in * k * k;
        SDVariable w = c.params().declare(name + ".weight", zeroInit ? Init.zeros() : Init.fanIn(fanIn), out, in, k, k);
        SDVariable b = c.params().declare(name + ".bias", zeroInit ? Init.zeros() : Init.fanIn(fanIn), out);
        Conv2DConfig conf = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        // ND4J's OIYX weight format has a broken backward pass in 1.0.0-M2.1, so keep PyTorch's layout and permute.
        return c.sd().cnn().conv2d(x, w.permute(2, 3, 1, 0), b, conf);
    }

    /** A 1x1 convolution over a sequence [N, C, T] (PyTorch Conv1d, kernel 1; weight [out, in, 1]). */
    public static SDVariable conv1x1Seq(NetContext c, String name, SDVariable x, long in, long out, long length,
                                        boolean zeroInit) {
        SDVariable w = c.params().declare(name + ".weight", zeroInit ? Init.zeros() : Init.fanIn(in), out, in, 1);
        SDVariable b = c.params().declare(name + ".bias", zeroInit ? Init.zeros() : Init.fanIn(in), out);
        SDVariable y = c.sd().mmul(x.permute(0, 2, 1).reshape(-1, in), w.reshape(out, in), false, true, false).add(b);
        return y.reshape(-1, length, out).permute(0, 2, 1);
    }

    /** Linear: y = x W^T + b, weight [out, in] as PyTorch. */
    public static SDVariable linear(NetContext c, String name, SDVariable x, long in, long out, boolean zeroInit) {
        SDVariable w = c.params().declare(name + ".weight", zeroInit ? Init.zeros() : Init.fanIn(in), out, in);
        SDVariable b = c.params().declare(name + ".bias", zeroInit ? Init.zeros() : Init.fanIn(in), out);
        return c.sd().mmul(x, w, false, true, false).add(b);
    }

    /** GroupNorm (Wu & He 2018) over [N, C, H, W] with per-channel affine; eps 1e-5 as PyTorch's default. */
    public static SDVariable groupNorm(NetContext c, String name, SDVariable x, long channels, int groups,
                                       long h, long w) {
        SDVariable gamma = c.params().declare(name + ".weight", Init.ones(), channels);
        SDVariable beta = c.params().declare(name + ".bias", Init.zeros(), channels);
        SDVariable g = x.reshape(-1, groups, (channels / groups) * h * w);
        SDVariable mean = g.mean(true, 2);
        SDVariable centred = g.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 2);
        SDVariable normed = centred.mul(c.sd().math().rsqrt(var.add(1e-5))).reshape(-1, channels, h, w);
        return normed.mul(gamma.reshape(1, channels, 1, 1)).add(beta.reshape(1, channels, 1, 1));
    }

    /**
     * SiLU x * sigmoid(x). Written with the sigmoid op rather than ND4J's fused swish: swish's backward pass in
     * 1.0.0-M2.1 returns NaN for large negative inputs (exp overflow), which appeared in the noise-embedding path
     * after ~900 CT steps on the digits.
     */
    public static SDVariable silu(SameDiff sd, SDVariable x) {
        return x.mul(sd.nn().sigmoid(x));
    }

    public static SDVariable avgPool2x2(SameDiff sd, SDVariable x) {
        return sd.cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    public static SDVariable upsampleNearest2x(SameDiff sd, SDVariable x) {
        return sd.cnn().upsampling2d(x, 2, 2, true);
    }
}
