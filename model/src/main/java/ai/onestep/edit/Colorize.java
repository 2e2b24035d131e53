package ai.onestep.edit;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Colorization: the output's luma 0.2989 R + 0.5870 G + 0.1140 B (ITU-R BT.601, the weights of the original
 * editing code) equals the gray input; the model chooses the two chroma directions. The projection moves x0 along
 * the unit luma vector v = w / |w| only: x = x0 + v (g / |w| - v . x0), the orthogonal basis change of the original
 * (first basis vector v) without forming the other two vectors.
 *
 * @param gray the gray input [N, 1, H, W] in [-1, 1]
 */
public record Colorize(INDArray gray) implements Projection {
    static final double[] LUMA = {0.2989, 0.5870, 0.1140};

    public Colorize {
        Check.that(gray.rank() == 4 && gray.size(1) == 1, "colorization needs a gray [N, 1, H, W] input");
    }

    /** w . x per pixel: [N, 3, H, W] -> [N, 1, H, W]. */
    public static INDArray luma(INDArray rgb) {
        Check.that(rgb.rank() == 4 && rgb.size(1) == 3, "luma needs RGB [N, 3, H, W]");
        INDArray w = Nd4j.createFromArray(LUMA).castTo(rgb.dataType()).reshape(1, 3, 1, 1);
        return rgb.mul(w.broadcast(rgb.shape())).sum(true, 1);
    }

    @Override
    public INDArray project(INDArray x0) {
        double norm2 = LUMA[0] * LUMA[0] + LUMA[1] * LUMA[1] + LUMA[2] * LUMA[2];
        // x0 + w (g - w . x0) / |w|^2  ==  x0 + v (g / |w| - v . x0)
        INDArray delta = gray.castTo(x0.dataType()).sub(luma(x0)).divi(norm2);
        INDArray w = Nd4j.createFromArray(LUMA).castTo(x0.dataType()).reshape(1, 3, 1, 1);
        return x0.add(delta.broadcast(x0.shape()).muli(w.broadcast(x0.shape())));
    }
}
