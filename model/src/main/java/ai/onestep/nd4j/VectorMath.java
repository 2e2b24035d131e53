package ai.onestep.nd4j;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels' arithmetic beyond +, *, /: an exponential and lane sums that give the same bits whether HotSpot has
 * compiled the calling code or not, and in vector lanes and scalar tails alike (the Vector API's own {@code EXP} and
 * {@code reduceLanes(ADD)} do not: interpreted they fall back to other algorithms or orders, and a resumed run then
 * drifted from an uninterrupted one by an ulp, which {@code CheckpointTest} caught).
 * <p>exp(t) for float t: +Inf above 88, 0 below -87 (the results there are beyond or near the floats' range); in
 * between t = k ln 2 + r with k an integer
 * (rounded by adding and subtracting 1.5 * 2^23) and |r| <= ln 2 / 2 (ln 2 split in two parts, Cody &amp; Waite 1980),
 * e^r by Cephes' degree-7 polynomial for {@code expf}, and 2^k built in the exponent bits. Within 2 ulp of e^t; only
 * IEEE operations and exact fused multiply-adds, so every path rounds identically.
 */
final class VectorMath {
    static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-06f;
    /** 1.5 * 2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B40_0000;
    private static final float[] POLY = {1.9875691500E-4f, 1.3981999507E-3f, 8.3334519073E-3f, 4.1665795894E-2f,
            1.6666665459E-1f, 5.0000001201E-1f};

    private VectorMath() {
    }

    static FloatVector exp(FloatVector t) {
        var overflow = t.compare(VectorOperators.GT, 88f);
        var underflow = t.compare(VectorOperators.LT, -87f);
        t = t.max(-87f).min(88f);
        FloatVector rounded = t.mul(LOG2E).add(ROUNDER);
        FloatVector k = rounded.sub(ROUNDER);
        FloatVector r = k.fma(splat(-LN2_HI), t);
        r = k.fma(splat(-LN2_LO), r);
        FloatVector p = splat(POLY[0]);
        for (int i = 1; i < POLY.length; i++) {
            p = p.fma(r, splat(POLY[i]));
        }
        p = p.fma(r.mul(r), r).add(1f);
        FloatVector twoToK = ((IntVector) rounded.reinterpretAsInts()).add(127 - ROUNDER_BITS)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToK).blend(Float.POSITIVE_INFINITY, overflow).blend(0f, underflow);
    }

    /** {@link #exp(FloatVector)} for one element, bit for bit. */
    static float exp(float t) {
        if (t > 88f) {
            return Float.POSITIVE_INFINITY;
        }
        if (t < -87f) {
            return 0f;
        }
        float rounded = t * LOG2E + ROUNDER;
        float k = rounded - ROUNDER;
        float r = Math.fma(k, -LN2_HI, t);
        r = Math.fma(k, -LN2_LO, r);
        float p = POLY[0];
        for (int i = 1; i < POLY.length; i++) {
            p = Math.fma(p, r, POLY[i]);
        }
        p = Math.fma(p, r * r, r) + 1f;
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(rounded) + 127 - ROUNDER_BITS) << 23);
    }

    /** The logistic sigmoid 1 / (1 + e^-u). */
    static FloatVector sigmoid(FloatVector u) {
        return splat(1f).div(exp(u.neg()).add(1f));
    }

    static float sigmoid(float u) {
        return 1f / (exp(-u) + 1f);
    }

    /** The lanes' sum, in lane order, in double. */
    static double sum(FloatVector v) {
        float[] lanes = new float[LANES.length()];
        v.intoArray(lanes, 0);
        double s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }

    static FloatVector splat(float v) {
        return FloatVector.broadcast(LANES, v);
    }
}
