package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Squared L2 between both images resized bilinearly to 32x32, averaged over dimensions: the original code's
 * {@code l2-32} loss norm.
 */
public record L2At32() implements Distance {
    static final int SIZE = 32;

    @Override
    public SDVariable perSample(SameDiff sd, SDVariable a, SDVariable b, long[] sampleShape) {
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException("l2-32 compares images [C, H, W]; got sample shape "
                    + java.util.Arrays.toString(sampleShape));
        }
        long c = sampleShape[0];
        long h = sampleShape[1];
        long w = sampleShape[2];
        SDVariable d = Bilinear.resize(sd, a, c, h, w, SIZE, a.dataType())
                .sub(Bilinear.resize(sd, b, c, h, w, SIZE, b.dataType()));
        return d.mul(d).mean(1, 2, 3);
    }
}
