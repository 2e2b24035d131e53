package ai.onestep.nd4j;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * GroupNorm (Wu &amp; He 2018) of NCHW activations plus an optional per-sample, per-channel bias before it (the
 * UNet's time-embedding add), with its per-channel affine, optionally followed by a per-sample scale and shift (the ADM
 * UNet's scale-shift norm) and by SiLU, in two passes over each group's memory. With z = x + e_nc:
 * <pre>  y = act( ((z - r) - m) * gamma_c / sqrt(v + eps) * (1 + s_nc) + beta_c * (1 + s_nc) + t_nc )</pre>
 * where r is the group's first element of z, m and v the mean and variance of z - r over the group (so m + r is the
 * group's mean; a constant group is exact zeros before the affine and comes out as exactly its beta). Sums are kept
 * in float vector lanes over blocks of up to 512 elements of a channel and in double across blocks. Groups are spread
 * over the common fork-join pool, each summed in a fixed order, so results do not depend on the threads or on what
 * HotSpot has compiled yet ({@link VectorMath}). Float arrays only.
 * <p>The backward pass ({@link #backward}), with u the activation's input and x^ = (z - mean) / sqrt(v + eps):
 * <pre>  du = gy act'(u)      (SiLU: act'(u) = s(u) (1 + u (1 - s(u))), s the logistic sigmoid)
 *  dbeta_c = sum_n (1 + s_nc) sum du,   dgamma_c = sum_n (1 + s_nc) sum du x^,
 *  dt_nc = sum du,   ds_nc = gamma_c sum du x^ + beta_c sum du      (sums over the plane)
 *  dx = dz = (g - mean(g) - x^ mean(g x^)) / sqrt(v + eps),   g = du gamma_c (1 + s_nc)   (means over the group)
 *  de_nc = sum dz    (over the plane)</pre>
 * the dz line the gradient of standardisation (Ioffe &amp; Szegedy 2015); for a constant group (x^ = 0) it is
 * (g - mean(g)) / sqrt(eps).
 */
final class GroupNormKernel {
    private static final jdk.incubator.vector.VectorSpecies<Float> LANES = VectorMath.LANES;
    private static final int BLOCK = 512;

    private GroupNormKernel() {
    }

    /**
     * The per-channel affine gamma_c, beta_c [C], and the optional per-sample scale s_nc and shift t_nc (both or
     * neither) and bias e_nc [N * C]; as gradients, the same fields for the same inputs.
     */
    record Affine(float[] gamma, float[] beta, float[] scale, float[] shift, float[] bias) {
        /** The scale-shift's factor 1 + s_nc for flat index idx = n C + c (1 without scale-shift). */
        double gain(int idx) {
            return scale == null ? 1 : 1 + scale[idx];
        }

        /** The bias e_nc (0 without one). */
        float bias(int idx) {
            return bias == null ? 0f : bias[idx];
        }

        /** The arrays present, in the op's input order: gamma, beta, [scale, shift], [bias]. */
        java.util.List<float[]> inOrder() {
            java.util.List<float[]> out = new java.util.ArrayList<>(java.util.List.of(gamma, beta));
            if (scale != null) {
                out.addAll(java.util.List.of(scale, shift));
            }
            if (bias != null) {
                out.add(bias);
            }
            return out;
        }

        /** Zeroed arrays for the gradients of the parameters this one holds. */
        Affine zeros(int n) {
            int channels = gamma.length;
            return new Affine(new float[channels], new float[channels], scale == null ? null : new float[n * channels],
                    shift == null ? null : new float[n * channels], bias == null ? null : new float[n * channels]);
        }
    }

    /**
     * @param x      [N, C, H, W] float, dense
     * @param p      the affine, scale-shift and bias
     * @param silu   whether SiLU follows
     * @param y      [N, C, H, W] float, dense
     */
    static void apply(INDArray x, Affine p, int groups, double eps, boolean silu, INDArray y) {
        Shape s = new Shape(x, groups);
        ByteBuffer in = JavaOps.memory(x, 0, x.length());
        ByteBuffer out = JavaOps.memory(y, 0, y.length());
        IntStream.range(0, s.n * groups).parallel().forEach(ng -> {
            Group g = new Group(in, p, ng, s, eps);
            for (int k = 0; k < s.per; k++) {
                affine(in, out, g.start(k), s.plane, g.e(k), g.ref, g.mean, g.a(k), g.b(k), silu);
            }
        });
    }

    /**
     * Gradients of {@link #apply}'s function at x for output gradient gy: dx into {@code dx} (dense, x's shape), the
     * others returned, one array for each parameter {@code p} holds.
     */
    static Affine backward(INDArray x, Affine p, int groups, double eps, boolean silu, INDArray gy, INDArray dx) {
        Shape s = new Shape(x, groups);
        ByteBuffer in = JavaOps.memory(x, 0, x.length());
        ByteBuffer grad = JavaOps.memory(gy, 0, gy.length());
        ByteBuffer out = JavaOps.memory(dx, 0, dx.length());
        Affine d = p.zeros(s.n);
        double[] sumDu = new double[s.n * s.channels];
        double[] sumDuXhat = new double[s.n * s.channels];
        IntStream.range(0, s.n * groups).parallel().forEach(ng -> {
            Group g = new Group(in, p, ng, s, eps);
            float xhatScale = (float) g.inverse;
            double g1 = 0;
            double g2 = 0;
            for (int k = 0; k < s.per; k++) {
                double[] sums = channelSums(in, grad, out, g.start(k), s.plane, g.e(k), g.ref, g.mean, g.a(k),
                        g.b(k), xhatScale, silu);
                sumDu[g.index(k)] = sums[0];
                sumDuXhat[g.index(k)] = sums[1];
                g1 += g.gs(k) * sums[0];
                g2 += g.gs(k) * sums[1];
            }
            float m1 = (float) (g1 / s.span);
            float m2 = (float) (g2 / s.span);
            for (int k = 0; k < s.per; k++) {
                double sum = inputGradient(in, out, g.start(k), s.plane, g.e(k), g.ref, g.mean, xhatScale,
                        (float) g.gs(k), m1, m2, xhatScale);
                if (d.bias != null) {
                    d.bias[g.index(k)] = (float) sum;
                }
            }
        });
        for (int sample = 0; sample < s.n; sample++) {
            for (int ch = 0; ch < s.channels; ch++) {
                int idx = sample * s.channels + ch;
                double gain = p.gain(idx);
                d.gamma[ch] += (float) (gain * sumDuXhat[idx]);
                d.beta[ch] += (float) (gain * sumDu[idx]);
                if (d.scale != null) {
                    d.scale[idx] = (float) (p.gamma[ch] * sumDuXhat[idx] + p.beta[ch] * sumDu[idx]);
                    d.shift[idx] = (float) sumDu[idx];
                }
            }
        }
        return d;
    }

    /** The sizes of an [N, C, H, W] array cut into groups of channels. */
    private static final class Shape {
        final int n;
        final int channels;
        final int per;
        final int plane;
        final int span; // a group's elements, contiguous in NCHW

        Shape(INDArray x, int groups) {
            if (x.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("group norm: more than 2^31 elements " + x.shapeInfoToString());
            }
            n = (int) x.size(0);
            channels = (int) x.size(1);
            per = channels / groups;
            plane = (int) (x.size(2) * x.size(3));
            span = per * plane;
        }
    }

    /**
     * One (sample, group) pair: where its channels start, its reference element r, the mean and variance of z - r,
     * and its channels' coefficients y = act((z - r - mean) a + b).
     */
    private static final class Group {
        final float ref;
        final float mean;
        final double variance;
        final double inverse;
        private final Affine affine;
        private final int from;
        private final int plane;
        private final int firstChannel;
        private final int firstIndex;

        Group(ByteBuffer in, Affine affine, int ng, Shape s, double eps) {
            int groups = s.channels / s.per;
            this.affine = affine;
            this.from = ng * s.span;
            this.plane = s.plane;
            this.firstChannel = ng % groups * s.per;
            this.firstIndex = ng / groups * s.channels + firstChannel;
            this.ref = in.getFloat(4 * from) + e(0);
            double sum = 0;
            double squares = 0;
            for (int k = 0; k < s.per; k++) {
                double[] m = moments(in, start(k), plane, e(k), ref);
                sum += m[0];
                squares += m[1];
            }
            double m = sum / s.span;
            this.mean = (float) m;
            this.variance = Math.max(0, squares / s.span - m * m);
            this.inverse = 1 / Math.sqrt(variance + eps);
        }

        /** Where the group's k-th channel starts. */
        int start(int k) {
            return from + k * plane;
        }

        /** The flat index n C + c of the group's k-th channel. */
        int index(int k) {
            return firstIndex + k;
        }

        /** The k-th channel's bias e_nc. */
        float e(int k) {
            return affine.bias(index(k));
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

    /** (x + e - ref) - mean for the vector of x at element i. */
    private static FloatVector centred(ByteBuffer in, int i, float e, float ref, float mean) {
        return FloatVector.fromByteBuffer(LANES, in, 4 * i, ByteOrder.nativeOrder()).add(e).sub(ref).sub(mean);
    }

    private static float centred(float x, float e, float ref, float mean) {
        return ((x + e) - ref) - mean;
    }

    /** Sums of du and of du x^ over [from, from + len); du itself goes to {@code du} for the next pass. */
    private static double[] channelSums(ByteBuffer in, ByteBuffer grad, ByteBuffer du, int from, int len, float e,
                                        float ref, float mean, float a, float b, float xhatScale, boolean silu) {
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
                FloatVector centred = centred(in, i, e, ref, mean);
                FloatVector d = du(centred, FloatVector.fromByteBuffer(LANES, grad, 4 * i, order), a, b, silu);
                d.intoByteBuffer(du, 4 * i, order);
                s = s.add(d);
                p = d.fma(centred.mul(xhatScale), p);
            }
            sum += VectorMath.sum(s);
            products += VectorMath.sum(p);
        }
        for (; i < end; i++) {
            float centred = centred(in.getFloat(4 * i), e, ref, mean);
            float d = du(centred, grad.getFloat(4 * i), a, b, silu);
            du.putFloat(4 * i, d);
            sum += d;
            products += d * (centred * xhatScale);
        }
        return new double[]{sum, products};
    }

    /** dx = scale (du gs - m1 - x^ m2) over [from, from + len), in place of du; returns the sum of dx. */
    private static double inputGradient(ByteBuffer in, ByteBuffer du, int from, int len, float e, float ref,
                                        float mean, float xhatScale, float gs, float m1, float m2, float scale) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        double sum = 0;
        int i = from;
        int vectorEnd = from + len / lanes * lanes;
        while (i < vectorEnd) {
            FloatVector s = FloatVector.zero(LANES);
            for (int blockEnd = Math.min(vectorEnd, i + BLOCK); i < blockEnd; i += lanes) {
                FloatVector centred = centred(in, i, e, ref, mean);
                FloatVector d = FloatVector.fromByteBuffer(LANES, du, 4 * i, order);
                FloatVector dx = d.fma(gs, -m1).sub(centred.mul(xhatScale).mul(m2)).mul(scale);
                dx.intoByteBuffer(du, 4 * i, order);
                s = s.add(dx);
            }
            sum += VectorMath.sum(s);
        }
        for (int end = from + len; i < end; i++) {
            float centred = centred(in.getFloat(4 * i), e, ref, mean);
            float dx = (Math.fma(du.getFloat(4 * i), gs, -m1) - centred * xhatScale * m2) * scale;
            du.putFloat(4 * i, dx);
            sum += dx;
        }
        return sum;
    }

    /** Sum and sum of squares of x + e - ref over [from, from + len). */
    private static double[] moments(ByteBuffer in, int from, int len, float e, float ref) {
        int lanes = LANES.length();
        double sum = 0;
        double squares = 0;
        int i = from;
        int end = from + len;
        int vectorEnd = from + len / lanes * lanes;
        while (i < vectorEnd) {
            FloatVector s = FloatVector.zero(LANES);
            FloatVector q = FloatVector.zero(LANES);
            for (int blockEnd = Math.min(vectorEnd, i + BLOCK); i < blockEnd; i += lanes) {
                FloatVector d = centred(in, i, e, ref, 0f);
                s = s.add(d);
                q = d.fma(d, q);
            }
            sum += VectorMath.sum(s);
            squares += VectorMath.sum(q);
        }
        for (; i < end; i++) {
            double d = (in.getFloat(4 * i) + e) - ref;
            sum += d;
            squares += d * d;
        }
        return new double[]{sum, squares};
    }

    /** y = act(((x + e - ref) - mean) * a + b) over [from, from + len). */
    private static void affine(ByteBuffer in, ByteBuffer out, int from, int len, float e, float ref, float mean,
                               float a, float b, boolean silu) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = LANES.length();
        int i = from;
        for (int end = from + len / lanes * lanes; i < end; i += lanes) {
            FloatVector v = centred(in, i, e, ref, mean).fma(a, b);
            if (silu) {
                v = v.div(VectorMath.exp(v.neg()).add(1f));
            }
            v.intoByteBuffer(out, 4 * i, order);
        }
        for (int end = from + len; i < end; i++) {
            float v = Math.fma(centred(in.getFloat(4 * i), e, ref, mean), a, b);
            out.putFloat(4 * i, silu ? v / (VectorMath.exp(-v) + 1f) : v);
        }
    }
}
