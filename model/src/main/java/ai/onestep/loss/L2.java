package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Squared L2, averaged over dimensions (the original code's {@code mean_flat((x - y) ** 2)}). */
public record L2() implements Distance {
    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        SDVariable d = a.sub(b);
        return d.mul(d).mean(Distance.sampleAxes(sampleShape));
    }
}
