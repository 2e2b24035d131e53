package ai.onestep.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.FloatPointer;
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
 * fork-join pool. Float arrays only; {@link GroupNormOp} routes other types and layouts elsewhere.
 */
final class GroupNormKernel {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
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
        ByteBuffer in = buffer(x);
        ByteBuffer out = buffer(y);
        IntStream.range(0, (int) (n * groups)).parallel().forEach(ng -> {
            int sample = ng / groups;
            int group = ng % groups;
            int from = (int) (ng * span);
            float ref = in.getFloat(4 * from);
            double[] moments = moments(in, from, (int) span, ref);
            float mean = (float) moments[0];
            double inverse = 1 / Math.sqrt(moments[1] + eps);
            for (int k = 0; k < per; k++) {
                int ch = group * per + k;
                double s = scale == null ? 1 : 1 + scale[sample * channels + ch];
                float a = (float) (gamma[ch] * inverse * s);
                float b = (float) (beta[ch] * s + (shift == null ? 0 : shift[sample * channels + ch]));
                int start = (int) (from + k * plane);
                affine(in, out, start, (int) plane, ref, mean, a, b, silu);
            }
        });
    }

    private static ByteBuffer buffer(INDArray a) {
        return new FloatPointer(a.data().pointer()).position(a.offset()).limit(a.offset() + a.length())
                .asByteBuffer().order(ByteOrder.nativeOrder());
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
            sum += s.reduceLanes(VectorOperators.ADD);
            squares += q.reduceLanes(VectorOperators.ADD);
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
                v = v.div(v.neg().lanewise(VectorOperators.EXP).add(1f));
            }
            v.intoByteBuffer(out, 4 * i, order);
        }
        for (int end = from + len; i < end; i++) {
            float v = Math.fma((in.getFloat(4 * i) - ref) - mean, a, b);
            out.putFloat(4 * i, silu ? (float) (v / (1 + Math.exp(-(double) v))) : v);
        }
    }
}
