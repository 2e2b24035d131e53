package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** L1, averaged over dimensions ({@code mean_flat(|x - y|)}). */
public record L1() implements Distance {
    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        return sd.math().abs(a.sub(b)).mean(Distance.sampleAxes(sampleShape));
    }
}
