package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** A metric d(x, y) >= 0 between a batch of predictions and targets, one value per sample. */
public interface Distance {
    /** a, b: [N, ...sampleShape]; returns [N]. */
    SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape);

    /** Reduction axes 1..rank of a batch whose samples have the given shape. */
    static int[] sampleAxes(long[] sampleShape) {
        int[] axes = new int[sampleShape.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    static long dims(long[] sampleShape) {
        long d = 1;
        for (long s : sampleShape) {
            d *= s;
        }
        return d;
    }
}
