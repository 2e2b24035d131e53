package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Pseudo-Huber distance of improved consistency training (Song & Dhariwal 2023, eq. 11):
 * d(x, y) = sqrt(||x - y||^2 + c^2) - c, with iCT's c = 0.00054 sqrt(d) for d-dimensional data ({@link #ict()}) or a
 * given c > 0.
 */
public final class PseudoHuber implements Distance {
    private final Double fixed; // null: iCT's constant for the data's size

    /** A fixed c > 0. */
    public PseudoHuber(double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("pseudo-Huber c must be > 0 (got " + c + "); ict() scales it to the data");
        }
        this.fixed = c;
    }

    private PseudoHuber() {
        this.fixed = null;
    }

    /** iCT's c = 0.00054 sqrt(d), d the number of values per sample. */
    public static PseudoHuber ict() {
        return new PseudoHuber();
    }

    public double cFor(long[] sampleShape) {
        return fixed != null ? fixed : 0.00054 * Math.sqrt(Distance.dims(sampleShape));
    }

    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        double cc = cFor(sampleShape);
        SDVariable d = a.sub(b);
        return sd.math().sqrt(d.mul(d).sum(Distance.sampleAxes(sampleShape)).add(cc * cc)).sub(cc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PseudoHuber p && java.util.Objects.equals(fixed, p.fixed);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(fixed);
    }

    @Override
    public String toString() {
        return fixed != null ? "PseudoHuber[c=" + fixed + "]" : "PseudoHuber[ict]";
    }
}
