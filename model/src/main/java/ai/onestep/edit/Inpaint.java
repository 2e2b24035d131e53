package ai.onestep.edit;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Inpainting: pixels where {@code known} is 1 are the input's, the rest the model's (A = identity, Omega = mask).
 *
 * @param image the input [N, C, H, W] (its unknown pixels are ignored)
 * @param known 1 where the input is kept, 0 where the model fills in; [N or 1, 1 or C, H, W]
 */
public record Inpaint(INDArray image, INDArray known) implements Projection {
    public Inpaint {
        Check.that(image.rank() == 4 && known.rank() == 4, "inpainting needs [N, C, H, W] image and mask");
        Check.that(image.size(2) == known.size(2) && image.size(3) == known.size(3), "mask size "
                + Arrays.toString(known.shape()) + " differs from image size " + Arrays.toString(image.shape()));
        known = known.castTo(image.dataType());
    }

    @Override
    public INDArray project(INDArray x0) {
        INDArray keep = known.broadcast(x0.shape());
        // x0 (1 - m) + y m: with a 0/1 mask and finite x0 the known pixels are y exactly (y * 1 + x0 * 0)
        return x0.mul(keep.rsub(1)).addi(image.mul(keep));
    }
}
