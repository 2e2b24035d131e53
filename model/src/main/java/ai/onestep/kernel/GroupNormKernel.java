package ai.onestep.kernel;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * GroupNorm (Wu &amp; He 2018) of NCHW activations with its per-channel affine, optionally followed by a per-sample
 * scale and shift (the ADM UNet's scale-shift norm) and by SiLU, in two passes over each group's memory:
 * <pre>  y = act( ((x - r) - m) * gamma_c / sqrt(v + eps) * (1 + s_nc) + beta_c * (1 + s_nc) + t_nc )</pre>
 * where r is the group's first element, m and v the mean and variance of x - r over the group (so m + r is the
 * group's mean; a constant group is exact zeros before the affine and comes out as exactly its beta). Sums are kept
 * in float vector lanes over blocks of 512 elements and in double across blocks. Groups are spread over the common
 * fork-join pool, each summed in a fixed order, so results do not depend on the threads or on what HotSpot has
 * compiled yet ({@link VectorMath}). Float arrays only.
 * <p>The backward pass ({@link #backward}), with u the activation's input and x^ = (x - mean) / sqrt(v + eps):
 * <pre>  du = gy act'(u)      (SiLU: act'(u) = s(u) (1 + u (1 - s(u))), s the logistic sigmoid)
 *  dbeta_c = sum_n (1 + s_nc) sum du,   dgamma_c = sum_n (1 + s_nc) sum du x^,
 *  dt_nc = sum du,   ds_nc = gamma_c sum du x^ + beta_c sum du      (sums over the plane)
 *  dx = (g - mean(g) - x^ mean(g x^)) / sqrt(v + eps),   g = du gamma_c (1 + s_nc)   (means over the group)</pre>
 * the last the gradient of standardisation (Ioffe &amp; Szegedy 2015). A constant group gets zero input gradient, the
 * eps -> 0 limit the ND4J training kernel uses ({@code GroupStandardize}).
 */
final class GroupNormKernel {
    private static final jdk.incubator.vector.VectorSpecies<Float> LANES = VectorMath.LANES;
    private static final int BLOCK = 512;

    private GroupNormKernel() {
    }

    /**
     * @param x      [N, C, H, W] float, dense
     * @param gamma  [C]
     * @param beta   [C]
     * @param scale  [N, C] or null (then shift is null too)
     * @param silu   whether SiLU follows
     * @param y      [N, C, H, W] float, dense
     */
    static void apply(INDArray x, float[] gamma, float[] beta, float[] scale, float[] shift, int groups, double eps,
                      boolean silu, INDArray y) {
        long n = x.size(0);
        int channels = (int) x.size(1);
        int per = channels / groups;
        long plane = x.size(2) * x.size(3);
        long span = per * plane; // a group's elements, contiguous in NCHW
        if (x.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group norm: more than 2^31 elements " + x.shapeInfoToString());
        }
        ByteBuffer in = JavaOps.memory(x, 0, x.length());
        ByteBuffer out = JavaOps.memory(y, 0, y.length());
        Affine affine = new Affine(gamma, beta, scale, shift);
        IntStream.range(0, (int) (n * groups)).parallel().forEach(ng -> {
            Group g = new Group(in, affine, ng, groups, channels, (int) span, eps);
            for (int k = 0; k < per; k++) {
                affine(in, out, g.from + k * (int) plane, (int) plane, g.ref, g.mean, g.a(k), g.b(k), silu);
            }
        });
    }

    /**
     * Gradients of {@link #apply}'s function at x for output gradient gy: dx into {@code dx} (dense, x's shape),
     * dgamma and dbeta [C] and, with scale-shift, dscale and dshift [N * C] into the given arrays.
     */
    static void backward(INDArray x, float[] gamma, float[] beta, float[] scale, float[] shift, int groups,
                         double eps, boolean silu, INDArray gy, INDArray dx, float[] dgamma, float[] dbeta,
                         float[] dscale, float[] dshift) {
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int per = channels / groups;
        int plane = (int) (x.size(2) * x.size(3));
        int span = per * plane;
        if (x.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group norm: more than 2^31 elements " + x.shapeInfoToString());
        }
        ByteBuffer in = JavaOps.memory(x, 0, x.length());
        ByteBuffer grad = JavaOps.memory(gy, 0, gy.length());
        ByteBuffer out = JavaOps.memory(dx, 0, dx.length());
        Affine affine = new Affine(gamma, beta, scale, shift);
        double[] sumDu = new double[n * channels];
        double[] sumDuXhat = new double[n * channels];
        IntStream.range(0, n * groups).parallel().forEach(ng -> {
            Group g = new Group(in, affine, ng, groups, channels, span, eps);
            float xhatScale = (float) g.inverse;
            double g1 = 0;
            double g2 = 0;
            for (int k = 0; k < per; k++) {
                double[] sums = channelSums(in, grad, out, g.from + k * plane, plane, g.ref, g.mean, g.a(k),
                        g.b(k), xhatScale, silu);
                sumDu[g.index(k)] = sums[0];
                sumDuXhat[g.index(k)] = sums[1];
                g1 += g.gs(k) * sums[0];
                g2 += g.gs(k) * sums[1];
            }
            // a constant group (variance exactly 0: x - ref is exact zeros) gets no input gradient
            float live = g.variance > 0 ? 1f : 0f;
            float m1 = (float) (g1 / span);
            float m2 = (float) (g2 / span);
            for (int k = 0; k < per; k++) {
                inputGradient(in, out, g.from + k * plane, plane, g.ref, g.mean, xhatScale, (float) g.gs(k), m1, m2,
                        live * xhatScale);
            }
        });
        for (int sample = 0; sample < n; sample++) {
            for (int ch = 0; ch < channels; ch++) {
                int idx = sample * channels + ch;
                double s = affine.gain(idx);
                dgamma[ch] += (float) (s * sumDuXhat[idx]);
                dbeta[ch] += (float) (s * sumDu[idx]);
                if (dscale != null) {
                    dscale[idx] = (float) (gamma[ch] * sumDuXhat[idx] + beta[ch] * sumDu[idx]);
                    dshift[idx] = (float) sumDu[idx];
                }
            }
        }
    }

    /** The per-channel affine gamma_c, beta_c and the optional per-sample scale s_nc and shift t_nc. */
    private record Affine(float[] gamma, float[] beta, float[] scale, float[] shift) {
        /** The scale-shift's factor 1 + s_nc for flat index idx = n C + c (1 without scale-shift). */
        double gain(int idx) {
            return scale == null ? 1 : 1 + scale[idx];
        }
    }

    /**
     * One (sample, group) pair: where its elements start, its reference element r, the mean and variance of x - r,
     * and its channels' coefficients y = act((x - r - mean) a + b).
     */
    private static final class Group {
        final int from;
        final float ref;
        final float mean;
        final double variance;
        final double inverse;
        private final Affine affine;
        private final int firstChannel;
        private final int firstIndex;

        Group(ByteBuffer in, Affine affine, int ng, int groups, int channels, int span, double eps) {
            int per = channels / groups;
            this.affine = affine;
            this.from = ng * span;
            this.firstChannel = ng % groups * per;
            this.firstIndex = ng / groups * channels + firstChannel;
            this.ref = in.getFloat(4 * from);
            double[] moments = moments(in, from, span, ref);
            this.mean = (float) moments[0];
            this.variance = moments[1];
            this.inverse = 1 / Math.sqrt(variance + eps);
        }

        /** The flat index n C + c of the group's k-th channel. */
        int index(int k) {
            return firstIndex + k;
        }

        /** gamma_c (1 + s_nc) of the k-th channel. */
        double gs(int k) {
            return affine.gamma[firstChannel + k] * affine.gain(index(k));
        }

        /** The k-th channel's factor a = gamma_c (1 + s_nc) / sqrt(v + eps). */
        float a(int k) {
            return (float) (affine.gamma[firstChannel + k] * inverse * affine.gain(index(k)));
        }

        /** The k-th channel's offset b = beta_c (1 + s_nc) + t_nc. */
        float b(int k) {
            double gain = affine.gain(index(k));
            return (float) (affine.beta[firstChannel + k] * gain
                    + (affine.shift == null ? 0 : affine.shift[index(k)]));
        }
    }

    /** The gradient at the activation's input: gy act'(u), u = centred a + b. */
    private static FloatVector du(FloatVector centred, FloatVector gy, float a, float b, boolean silu) {
        if (!silu) {
            return gy;
        }
        FloatVector u = centred.fma(a, b);
        FloatVector sig = VectorMath.sigmoid(u);
        return gy.mul(sig.mul(u.mul(sig.neg().add(1f)).add(1f)));
    }

    private static float du(float centred, float gy, float a, float b, boolean silu) {
        if (!silu) {
            return gy;
        }
        float u = Math.fma(centred, a, b);
        float sig = VectorMath.sigmoid(u);
        return gy * (sig * (u * (-sig + 1f) + 1f));
    }

    /** Sums of du and of du x^ over [from, from + len); du itself goes to {@code du} for the next pass. */
    private static double[] channelSums(ByteBuffer in, ByteBuffer grad, ByteBuffer du, int from, int len, float ref,
                                        float mean, float a, float b, float xhatScale, boolean silu) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        double sum = 0;
        double products = 0;
        int i = from;
        int end = from + len;
        int vectorEnd = from + len / lanes * lanes;
        while (i < vectorEnd) {
            FloatVector s = FloatVector.zero(LANES);
            FloatVector p = FloatVector.zero(LANES);
            for (int blockEnd = Math.min(vectorEnd, i + BLOCK); i < blockEnd; i += lanes) {
                FloatVector centred = FloatVector.fromByteBuffer(LANES, in, 4 * i, order).sub(ref).sub(mean);
                FloatVector d = du(centred, FloatVector.fromByteBuffer(LANES, grad, 4 * i, order), a, b, silu);
                d.intoByteBuffer(du, 4 * i, order);
                s = s.add(d);
                p = d.fma(centred.mul(xhatScale), p);
            }
            sum += VectorMath.sum(s);
            products += VectorMath.sum(p);
        }
        for (; i < end; i++) {
            float centred = (in.getFloat(4 * i) - ref) - mean;
            float d = du(centred, grad.getFloat(4 * i), a, b, silu);
            du.putFloat(4 * i, d);
            sum += d;
            products += d * (centred * xhatScale);
        }
        return new double[]{sum, products};
    }

    /** dx = scale (du gs - m1 - x^ m2) over [from, from + len), in place of du. */
    private static void inputGradient(ByteBuffer in, ByteBuffer du, int from, int len, float ref, float mean,
                                      float xhatScale, float gs, float m1, float m2, float scale) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        int i = from;
        for (int end = from + len / lanes * lanes; i < end; i += lanes) {
            FloatVector centred = FloatVector.fromByteBuffer(LANES, in, 4 * i, order).sub(ref).sub(mean);
            FloatVector d = FloatVector.fromByteBuffer(LANES, du, 4 * i, order);
            d.fma(gs, -m1).sub(centred.mul(xhatScale).mul(m2)).mul(scale).intoByteBuffer(du, 4 * i, order);
        }
        for (int end = from + len; i < end; i++) {
            float centred = (in.getFloat(4 * i) - ref) - mean;
            float d = du.getFloat(4 * i);
            du.putFloat(4 * i, (Math.fma(d, gs, -m1) - centred * xhatScale * m2) * scale);
        }
    }

    /** Mean and population variance of x - ref over [from, from + len). */
    private static double[] moments(ByteBuffer in, int from, int len, float ref) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        FloatVector r = FloatVector.broadcast(LANES, ref);
        double sum = 0;
        double squares = 0;
        int i = from;
        int end = from + len;
        int vectorEnd = from + len / lanes * lanes;
        while (i < vectorEnd) {
            FloatVector s = FloatVector.zero(LANES);
            FloatVector q = FloatVector.zero(LANES);
            for (int blockEnd = Math.min(vectorEnd, i + BLOCK); i < blockEnd; i += lanes) {
                FloatVector d = FloatVector.fromByteBuffer(LANES, in, 4 * i, order).sub(r);
                s = s.add(d);
                q = d.fma(d, q);
            }
            sum += VectorMath.sum(s);
            squares += VectorMath.sum(q);
        }
        for (; i < end; i++) {
            double d = in.getFloat(4 * i) - ref;
            sum += d;
            squares += d * d;
        }
        double mean = sum / len;
        return new double[]{mean, Math.max(0, squares / len - mean * mean)};
    }

    /** y = act(((x - ref) - mean) * a + b) over [from, from + len). */
    private static void affine(ByteBuffer in, ByteBuffer out, int from, int len, float ref, float mean, float a,
                               float b, boolean silu) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        int i = from;
        for (int end = from + len / lanes * lanes; i < end; i += lanes) {
            FloatVector v = FloatVector.fromByteBuffer(LANES, in, 4 * i, order).sub(ref).sub(mean).fma(a, b);
            if (silu) {
                v = v.div(VectorMath.exp(v.neg()).add(1f));
            }
            v.intoByteBuffer(out, 4 * i, order);
        }
        for (int end = from + len; i < end; i++) {
            float v = Math.fma((in.getFloat(4 * i) - ref) - mean, a, b);
            out.putFloat(4 * i, silu ? v / (VectorMath.exp(-v) + 1f) : v);
        }
    }
}
