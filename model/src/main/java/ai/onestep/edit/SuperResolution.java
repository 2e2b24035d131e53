package ai.onestep.edit;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Super-resolution: every f x f patch of the output has the mean of the corresponding low-resolution pixel; the
 * model chooses everything orthogonal to the patch means. x = x0 - up(mean_f(x0)) + up(low), the orthogonal
 * projection the original expresses with a QR basis whose first vector is the normalised all-ones patch.
 *
 * @param low the low-resolution input [N, C, h, w]
 * @param factor f, from the input and output sizes (output side = f * input side)
 */
public record SuperResolution(INDArray low, int factor) implements Projection {
    public SuperResolution {
        Check.that(low.rank() == 4, "super-resolution needs a [N, C, h, w] input");
        Check.that(factor >= 1, "super-resolution factor must be >= 1 (got " + factor + ")");
    }

    /** The factor that maps an input of side {@code inSide} to the model's {@code outSide}. */
    public static int factor(long inSide, long outSide) {
        Check.that(inSide > 0 && outSide % inSide == 0, "super-resolution needs the model's size (" + outSide
                + ") to be a multiple of the input's (" + inSide + ")");
        return (int) (outSide / inSide);
    }

    /** Mean of each f x f patch: [N, C, f h, f w] -> [N, C, h, w]. */
    public static INDArray patchMeans(INDArray x, int f) {
        long n = x.size(0), c = x.size(1), h = x.size(2) / f, w = x.size(3) / f;
        return x.reshape(n, c, h, f, w, f).mean(3, 5);
    }

    static INDArray upsample(INDArray x, int f) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        INDArray up = x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, f, w, f);
        return up.dup('c').reshape(n, c, h * f, w * f);
    }

    @Override
    public INDArray project(INDArray x0) {
        Check.that(x0.size(2) == low.size(2) * factor && x0.size(3) == low.size(3) * factor,
                "super-resolution: the model's images are not " + factor + "x the input");
        INDArray correction = low.castTo(x0.dataType()).sub(patchMeans(x0, factor));
        return x0.add(upsample(correction, factor));
    }
}
