package ai.onestep.image;

import ai.onestep.util.Check;

/**
 * guided-diffusion's {@code center_crop_arr} (image_datasets.py), which the Consistency Models code uses for every
 * dataset: while the short side is at least twice the target, halve both sides (integer division) with a BOX filter;
 * then BICUBIC-resize so the short side equals the target (sizes rounded half-to-even, as Python's round); then crop
 * the centre square (offsets rounded down).
 */
public final class CenterCrop {
    private CenterCrop() {
    }

    public static Pixels apply(Pixels img, int size) {
        Check.positive("resolution", size);
        Pixels p = img;
        while (Math.min(p.width(), p.height()) >= 2 * size) {
            p = Resample.resize(p, p.width() / 2, p.height() / 2, Resample.Filter.BOX);
        }
        double scale = (double) size / Math.min(p.width(), p.height());
        int w = (int) Math.rint(p.width() * scale);
        int h = (int) Math.rint(p.height() * scale);
        p = Resample.resize(p, w, h, Resample.Filter.BICUBIC);
        int y0 = (p.height() - size) / 2;
        int x0 = (p.width() - size) / 2;
        int c = p.channels();
        byte[] out = new byte[size * size * c];
        for (int y = 0; y < size; y++) {
            System.arraycopy(p.data(), ((y0 + y) * p.width() + x0) * c, out, y * size * c, size * c);
        }
        return new Pixels(size, size, c, out);
    }
}
