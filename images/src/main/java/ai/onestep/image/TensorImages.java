package ai.onestep.image;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/** Between 8-bit images and model tensors (NCHW floats in [-1, 1]), with the training reader's scaling. */
public final class TensorImages {
    private TensorImages() {
    }

    /** Images of one size as [N, C, H, W] in [-1, 1]. */
    public static INDArray fromPixels(List<Pixels> images) {
        Pixels first = images.get(0);
        int per = first.channels() * first.height() * first.width();
        float[] x = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            Pixels p = images.get(i);
            if (p.height() != first.height() || p.width() != first.width() || p.channels() != first.channels()) {
                throw new IllegalArgumentException("images differ in size: " + p.width() + "x" + p.height() + "x"
                        + p.channels() + " vs " + first.width() + "x" + first.height() + "x" + first.channels());
            }
            p.writeChw(x, i * per, false);
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(x)
                .reshape(images.size(), first.channels(), first.height(), first.width());
    }

    /**
     * Samples as the 8-bit images they stand for, back in [-1, 1]: clamped and rounded to the 255 levels of
     * {@link #toPixels}, as OpenAI's evaluator sees samples (uint8 .npz). Scoring raw samples would let a few
     * out-of-range values dominate feature statistics.
     */
    public static INDArray quantize(INDArray x) {
        INDArray levels = Transforms.round(x.castTo(DataType.FLOAT).add(1).muli(127.5), false);
        return Transforms.min(Transforms.max(levels, 0, false), 255, false).divi(127.5).subi(1);
    }

    public static List<Pixels> toPixels(INDArray x) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images need 1 or 3 channels (got " + c + ")");
        }
        float[] v = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<Pixels> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[h * w * c];
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double f = (v[((i * c + ch) * h + y) * w + xx] + 1) * 127.5;
                        px[(y * w + xx) * c + ch] = (byte) Math.max(0, Math.min(255, Math.round(f)));
                    }
                }
            }
            out.add(new Pixels(h, w, c, px));
        }
        return out;
    }
}
