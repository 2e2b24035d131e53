package ai.onestep.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Lossless PNG encoding of {@link Pixels} (raw samples, no colour conversion), and image grids. */
public final class Png {
    private Png() {
    }

    public static byte[] encode(Pixels p) {
        BufferedImage img = new BufferedImage(p.width(), p.height(),
                p.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = img.getRaster();
        int[] row = new int[p.width() * p.channels()];
        for (int y = 0; y < p.height(); y++) {
            for (int i = 0; i < row.length; i++) {
                row[i] = p.data()[y * row.length + i] & 0xff;
            }
            r.setPixels(0, y, p.width(), 1, row);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tiles equally sized images into rows of {@code columns}, separated by {@code pad} black pixels. */
    public static Pixels grid(List<Pixels> images, int columns, int pad) {
        Pixels first = images.get(0);
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        int rows = (images.size() + columns - 1) / columns;
        int cols = Math.min(columns, images.size());
        int gh = rows * h + (rows + 1) * pad;
        int gw = cols * w + (cols + 1) * pad;
        byte[] out = new byte[gh * gw * c];
        for (int i = 0; i < images.size(); i++) {
            Pixels p = images.get(i).withChannels(c);
            int oy = pad + (i / columns) * (h + pad);
            int ox = pad + (i % columns) * (w + pad);
            for (int y = 0; y < h; y++) {
                System.arraycopy(p.data(), y * w * c, out, ((oy + y) * gw + ox) * c, w * c);
            }
        }
        return new Pixels(gh, gw, c, out);
    }
}
