package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Pseudo-Huber distance of improved consistency training (Song & Dhariwal 2023, eq. 11):
 * d(x, y) = sqrt(||x - y||^2 + c^2) - c, with c = 0.00054 sqrt(d) for d-dimensional data unless given.
 */
public record PseudoHuber(double c) implements Distance {
    /** c <= 0 selects the iCT default 0.00054 sqrt(d). */
    public static PseudoHuber ict() {
        return new PseudoHuber(0);
    }

    public double cFor(long[] sampleShape) {
        return c > 0 ? c : 0.00054 * Math.sqrt(Distance.dims(sampleShape));
    }

    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        double cc = cFor(sampleShape);
        SDVariable d = a.sub(b);
        return sd.math().sqrt(d.mul(d).sum(Distance.sampleAxes(sampleShape)).add(cc * cc)).sub(cc);
    }
}
