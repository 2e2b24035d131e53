package ai.onestep.nn;

import ai.onestep.nd4j.FastPaths;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The building blocks shared by every network, each declaring its parameters under the PyTorch state-dict name.
 * Rank-4 activations are [N, C, H, W] and parameters keep PyTorch's shapes.
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
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        if (c.inference()) {
            // sampling and editing: ND4J reads PyTorch's [out, in, k, k] as it is, without a transposed copy of the
            // weights per call (OIYX has no working backward pass, so graphs of training steps keep the permute)
            Conv2DConfig oiyx = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2)
                    .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW")
                    .weightsFormat(org.nd4j.enums.WeightsFormat.OIYX).build();
            return c.sd().cnn().conv2d(x, w, b, oiyx);
        }
        int chunks = k > 1 ? inputChunks(in) : 1;
        if (chunks == 1) {
            return c.sd().cnn().conv2d(x, kernel(w), b, conf);
        }
        // The same convolution as a sum over equal slices of the input channels, each with its slice of the weight.
        SDVariable[] xs = chunks(c.sd(), x, 1, chunks, in);
        SDVariable[] ws = chunks(c.sd(), w, 1, chunks, in);
        SDVariable y = c.sd().cnn().conv2d(xs[0], kernel(ws[0]), b, conf);
        for (int i = 1; i < chunks; i++) {
            y = y.add(c.sd().cnn().conv2d(xs[i], kernel(ws[i]), conf));
        }
        return y;
    }

    /**
     * A rank-4 {@code x} with {@code size} entries along {@code axis}, cut into {@code n} equal slices along it, as an
     * unstack of a reshape: ND4J's split op is several times slower (docs/decisions.md).
     */
    private static SDVariable[] chunks(SameDiff sd, SDVariable x, int axis, int n, long size) {
        // x's shape is known only at run time (the batch); the reshape target is built from it.
        SDVariable shape = sd.shape(x);
        SDVariable split = sd.concat(0, sd.slice(shape, new int[]{0}, new int[]{axis}),
                sd.constant(Nd4j.createFromArray(n, size / n)).castTo(shape.dataType()),
                sd.slice(shape, new int[]{axis + 1}, new int[]{3 - axis}));
        return sd.unstack(x.reshape(split), axis, n);
    }

    /** ND4J's OIYX weight format has a broken backward pass in 1.0.0-M2.1, so keep PyTorch's layout and permute. */
    private static SDVariable kernel(SDVariable w) {
        return w.permute(2, 3, 1, 0);
    }

    /**
     * Into how many equal slices a differentiated 3x3 (or larger) convolution splits its input channels: a count that
     * is not a power of two, such as a UNet decoder's concatenation of 128 + 64 channels, is split into its largest
     * power-of-two divisor (192 = 3 x 64) when that is at least {@value #MIN_SLICE} channels. oneDNN 2.3 (ND4J
     * 1.0.0-M2.1) computes the input gradient of such convolutions with a Winograd kernel that is several times slower
     * per channel than for 64 or 128 channels; forward passes are not affected and stay one convolution.
     */
    static int inputChunks(long in) {
        long chunk = Long.lowestOneBit(in);
        return chunk == in || chunk < MIN_SLICE ? 1 : (int) (in / chunk);
    }

    /**
     * The narrowest slice worth cutting: the input gradient of a convolution measured slower cut into 32-channel
     * slices than whole, and no faster at 8x8.
     */
    static final int MIN_SLICE = 64;

    /**
     * A 1x1 convolution over a sequence [N, C, T], as a matrix product: weight [out, in, 1, 1] (PyTorch Conv2d,
     * kernel 1) when {@code conv2d}, else [out, in, 1] (Conv1d); the same numbers either way.
     */
    public static SDVariable conv1x1Seq(NetContext c, String name, SDVariable x, long in, long out, long length,
                                        boolean zeroInit, boolean conv2d) {
        Init init = zeroInit ? Init.zeros() : Init.fanIn(in);
        SDVariable w = conv2d ? c.params().declare(name + ".weight", init, out, in, 1, 1)
                : c.params().declare(name + ".weight", init, out, in, 1);
        SDVariable b = c.params().declare(name + ".bias", zeroInit ? Init.zeros() : Init.fanIn(in), out);
        SDVariable y = c.sd().mmul(x.permute(0, 2, 1).reshape(-1, in), w.reshape(out, in), false, true, false).add(b);
        return y.reshape(-1, length, out).permute(0, 2, 1);
    }

    /**
     * A learned class embedding (ADM's {@code label_emb}): row {@code labels[i]} of a [classes, width] table, N(0, 1)
     * initialised. One-hot times the table rather than gather: gather's backward pass is wrong in ND4J 1.0.0-M2.1
     * (the gradient check found it).
     */
    public static SDVariable labelEmbedding(NetContext c, String name, SDVariable labels, int classes, long width) {
        SDVariable table = c.params().declare(name, Init.normal(1.0), classes, width);
        SDVariable oneHot = c.sd().oneHot(null, labels, classes, -1, 1.0, 0.0, c.params().dtype());
        return c.sd().mmul(oneHot, table);
    }

    /** Linear: y = x W^T + b, weight [out, in] as PyTorch. */
    public static SDVariable linear(NetContext c, String name, SDVariable x, long in, long out, boolean zeroInit) {
        SDVariable w = c.params().declare(name + ".weight", zeroInit ? Init.zeros() : Init.fanIn(in), out, in);
        SDVariable b = c.params().declare(name + ".bias", zeroInit ? Init.zeros() : Init.fanIn(in), out);
        return c.sd().mmul(x, w, false, true, false).add(b);
    }

    /**
     * GroupNorm (Wu & He 2018) over [N, C, H, W] with per-channel affine:
     * y = gamma_c (x - mean_g) / sqrt(var_g + eps) + beta_c.
     * <p>Two kernels compute this same function. Float activations, when Java kernels are enabled, go through one
     * fused Java op with its backward pass written out (see javaKernels); otherwise ND4J's ops write the formula out
     * from per-channel statistics ({@link #groupNormByChannelStats}), differentiated by SameDiff where gradients are
     * taken.
     */
    public static SDVariable groupNorm(NetContext c, String name, SDVariable x, long channels, Norm norm,
                                       long h, long w) {
        if (javaKernels(c)) {
            return fusedNorm(c, name, x, channels, norm, null, null, null, false);
        }
        SDVariable gamma = c.params().declare(name + ".weight", Init.ones(), channels);
        SDVariable beta = c.params().declare(name + ".bias", Init.zeros(), channels);
        return groupNormByChannelStats(c, x, gamma, beta, channels, norm, h, w);
    }

    /** SiLU(GroupNorm(x)), the UNet's "norm, activation" pair: one fused op where possible (see javaKernels). */
    public static SDVariable groupNormSilu(NetContext c, String name, SDVariable x, long channels, Norm norm,
                                           long h, long w) {
        if (!javaKernels(c)) {
            return silu(c, groupNorm(c, name, x, channels, norm, h, w));
        }
        return fusedNorm(c, name, x, channels, norm, null, null, null, true);
    }

    /**
     * SiLU(GroupNorm(x + bias)) with a per-sample, per-channel bias [N, channels] broadcast over the plane: the UNet's
     * "add the time embedding, norm, activation" (without scale-shift conditioning), one fused op where possible (see
     * javaKernels).
     */
    public static SDVariable biasGroupNormSilu(NetContext c, String name, SDVariable x, SDVariable bias,
                                               long channels, Norm norm, long h, long w) {
        if (!javaKernels(c)) {
            return groupNormSilu(c, name, x.add(perChannel(c, bias, channels)), channels, norm, h, w);
        }
        return fusedNorm(c, name, x, channels, norm, null, null, bias, true);
    }

    /**
     * SiLU(GroupNorm(x) (1 + scale) + shift) with per-sample, per-channel scale and shift [N, channels]: the ADM
     * UNet's scale-shift norm and activation, one fused op where possible (see javaKernels).
     */
    public static SDVariable groupNormScaleShiftSilu(NetContext c, String name, SDVariable x, long channels,
                                                     Norm norm, long h, long w, SDVariable scale, SDVariable shift) {
        if (!javaKernels(c)) {
            SDVariable normed = groupNorm(c, name, x, channels, norm, h, w);
            return silu(c, normed.mul(perChannel(c, scale, channels).add(1.0)).add(perChannel(c, shift, channels)));
        }
        return fusedNorm(c, name, x, channels, norm, scale, shift, null, true);
    }

    /**
     * Whether GroupNorm and what follows it run as one Java op (backward pass written out), and pooling and
     * upsampling as Java ops: for float NCHW activations when Java kernels are enabled, in every graph (training
     * steps, target and teacher passes, sampling). The fused norm computes the same function as the ND4J formula in
     * two passes instead of six to nine (backward: three instead of about fifteen, no reshape copies);
     * {@code GroupNormTest} and {@code Resample2xTest} hold the Java ops to ND4J's, values and gradients.
     * Double-precision graphs (the gradient checks) keep the ND4J kernels.
     */
    private static boolean javaKernels(NetContext c) {
        return c.params().dtype() == DataType.FLOAT && c.javaKernels();
    }

    /** The fused op, with GroupNorm's gamma and beta declared under name as the ND4J path declares them. */
    private static SDVariable fusedNorm(NetContext c, String name, SDVariable x, long channels, Norm norm,
                                        SDVariable scale, SDVariable shift, SDVariable bias, boolean silu) {
        SDVariable gamma = c.params().declare(name + ".weight", Init.ones(), channels);
        SDVariable beta = c.params().declare(name + ".bias", Init.zeros(), channels);
        return FastPaths.groupNorm(c.sd(), x, gamma, beta, scale, shift, bias, norm.groups(), norm.eps(), silu);
    }

    /**
     * GroupNorm in ND4J ops, in six passes over the activations, without reshaping them (SameDiff's reshape copies):
     * shifted by a reference value per group, one of the group's own elements, so that a constant
     * group becomes exact zeros (a float mean of equal values is not exact in ND4J, and the division by sigma ~
     * sqrt(eps) would blow up its residue); per-channel means over the spatial axes, averaged within each group by a
     * small matmul; the centred activations; their per-channel squared norms, averaged the same way; and
     * centred * (gamma / sigma) + beta with per-sample, per-channel factors.
     */
    private static SDVariable groupNormByChannelStats(NetContext c, SDVariable x, SDVariable gamma, SDVariable beta,
                                                      long channels, Norm norm, long h, long w) {
        SameDiff sd = c.sd();
        int groups = norm.groups();
        long per = channels / groups;
        int[] spatial = {2, 3};
        long[] perChannel = {-1, channels, 1, 1};
        DataType dtype = c.params().dtype();
        SDVariable average = sd.constant(groupMatrix(channels, channels, per, 1.0 / per, dtype));
        SDVariable expand = sd.constant(groupMatrix(groups, channels, 1, 1.0, dtype));
        // the first element of each group's first channel, [N, groups], then for each channel [N, C] as activations
        long[] step = {1, per, 1, 1};
        long[] end = {0, channels, 1, 1};
        SDVariable first = sd.stridedSlice(x, new long[4], end, step, 1, 1, 0, 0, 0).reshape(-1, groups);
        if (c.differentiated()) {
            // normalising is shift-invariant: no gradient flows through the reference
            first = new StopGradient(sd, first).outputVariable();
        }
        SDVariable shifted = x.sub(sd.mmul(first, expand).reshape(perChannel));
        SDVariable mean = sd.mmul(shifted.mean(false, spatial), average).reshape(perChannel);
        SDVariable centred = shifted.sub(mean);
        SDVariable var = sd.mmul(sd.squaredNorm(centred, false, spatial).div(h * w), average);
        SDVariable scale = sd.math().rsqrt(var.add(norm.eps())).mul(gamma).reshape(perChannel);
        return centred.mul(scale).add(beta.reshape(perChannel));
    }

    /**
     * A [rows, channels] matrix holding {@code value} where channel j's group is row i's group and 0 elsewhere: rows
     * come {@code per} to a group, so [C, C] with per = C / G averages within groups and [G, C] with per = 1 expands a
     * value per group to its channels.
     */
    private static INDArray groupMatrix(long rows, long channels, long per, double value, DataType dtype) {
        long size = channels * per / rows; // channels per group
        INDArray m = Nd4j.zeros(dtype, rows, channels);
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < channels; j++) {
                if (i / per == j / size) {
                    m.putScalar(i, j, value);
                }
            }
        }
        return m;
    }

    /**
     * SiLU x * sigmoid(x). Written with the sigmoid op rather than ND4J's fused swish: swish's backward pass in
     * 1.0.0-M2.1 returns NaN for large negative inputs (exp overflow), which appeared in the noise-embedding path
     * after ~900 CT steps on the digits. Inference graphs have no backward pass and use a fused op (one pass over
     * the activations instead of two and no intermediate): OneStep's vectorised SiLU op when Java kernels are
     * enabled ({@link NetContext#javaKernels()}), else ND4J's swish. Both round differently from the two-op form, so
     * training graphs, whose target and teacher passes must match the trajectories the tests were tuned on (the 2-D
     * ring's CT bar has little margin), keep it; the UNet's SiLU after GroupNorm is fused into the norm instead
     * ({@link #groupNormSilu}).
     */
    public static SDVariable silu(NetContext c, SDVariable x) {
        if (!c.inference()) {
            return x.mul(c.sd().nn().sigmoid(x));
        }
        return c.javaKernels() ? FastPaths.silu(c.sd(), x) : c.sd().nn().swish(x);
    }

    /** 2x2 average pooling, stride 2: a Java op where Java kernels run (see javaKernels), else ND4J's. */
    public static SDVariable avgPool2x2(NetContext c, SDVariable x) {
        if (javaKernels(c)) {
            return FastPaths.avgPool2x(c.sd(), x);
        }
        return c.sd().cnn().avgPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }

    /** Nearest-neighbour 2x upsampling: a Java op where Java kernels run (see javaKernels), else ND4J's. */
    public static SDVariable upsampleNearest2x(NetContext c, SDVariable x) {
        if (javaKernels(c)) {
            return FastPaths.upsample2x(c.sd(), x);
        }
        return c.sd().cnn().upsampling2d(x, 2, 2, true);
    }

    /** Concatenation along the channel axis. */
    public static SDVariable concatChannels(NetContext c, SDVariable a, SDVariable b) {
        return c.sd().concat(1, a, b);
    }

    /** A per-sample, per-channel vector [N, channels] shaped to broadcast over activations. */
    public static SDVariable perChannel(NetContext c, SDVariable v, long channels) {
        return v.reshape(-1, channels, 1, 1);
    }
}
