package ai.onestep.image;

/**
 * The EXIF Orientation tag (0x0112) of a JPEG, read from its APP1 "Exif" segment, and the transform that makes the
 * image upright (EXIF 2.3 section 4.6.4, TIFF 6.0 "Orientation"). Values 1-8; 1 when absent or unreadable.
 */
public final class ExifOrientation {
    private ExifOrientation() {
    }

    public static int read(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return 1;
        }
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xff) == 0xFF) {
            int marker = b[p + 1] & 0xff;
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // start of scan: no more metadata segments
            }
            int len = u16(b, p + 2, true);
            if (len < 2 || p + 2 + len > b.length) {
                return 1;
            }
            if (marker == 0xE1 && len >= 8 && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i' && b[p + 7] == 'f') {
                return fromTiff(b, p + 10, p + 2 + len);
            }
            p += 2 + len;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int t, int end) {
        if (t + 8 > end) {
            return 1;
        }
        boolean big = b[t] == 'M' && b[t + 1] == 'M';
        if (!big && !(b[t] == 'I' && b[t + 1] == 'I')) {
            return 1;
        }
        long ifd = u32(b, t + 4, big);
        if (ifd < 8 || t + ifd + 2 > end) {
            return 1;
        }
        int q = (int) (t + ifd);
        int entries = u16(b, q, big);
        for (int i = 0; i < entries; i++) {
            int e = q + 2 + 12 * i;
            if (e + 12 > end) {
                return 1;
            }
            if (u16(b, e, big) == 0x0112) {
                int v = u16(b, e + 8, big);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean big) {
        int a = b[p] & 0xff;
        int c = b[p + 1] & 0xff;
        return big ? (a << 8) | c : (c << 8) | a;
    }

    private static long u32(byte[] b, int p, boolean big) {
        long hi = u16(b, big ? p : p + 2, big);
        long lo = u16(b, big ? p + 2 : p, big);
        return (hi << 16) | lo;
    }

    /** The upright image for a stored image with this orientation. */
    public static Pixels apply(Pixels in, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return in;
        }
        boolean swap = orientation >= 5;
        int h = in.height();
        int w = in.width();
        int oh = swap ? w : h;
        int ow = swap ? h : w;
        int c = in.channels();
        byte[] out = new byte[in.data().length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // source coordinates of output pixel (x, y)
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                System.arraycopy(in.data(), (sy * w + sx) * c, out, (y * ow + x) * c, c);
            }
        }
        return new Pixels(oh, ow, c, out);
    }
}
