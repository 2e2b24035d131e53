package ai.onestep.image;

/**
 * Separable resampling exactly as Pillow's {@code ImagingResample} for 8-bit images (libImaging/Resample.c): filter
 * support scaled by the reduction factor, coefficients normalised then rounded to 22-bit fixed point, a horizontal
 * pass (rounded and clipped to 8 bits) followed by a vertical pass. Bit-exactness matters because training data must
 * match what the original PyTorch code feeds its networks.
 */
public final class Resample {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** A resampling kernel: its support radius at scale 1 and its weight function. */
    public enum Filter {
        /** Pillow's BOX: 1 on (-0.5, 0.5]. */
        BOX(0.5) {
            @Override
            double weight(double x) {
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            }
        },
        /** Pillow's BICUBIC: Keys' cubic convolution with a = -0.5. */
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    private Resample() {
    }

    public static Pixels resize(Pixels in, int outWidth, int outHeight, Filter filter) {
        Pixels p = in;
        if (outWidth != in.width()) {
            p = horizontal(p, outWidth, filter);
        }
        if (outHeight != in.height()) {
            p = vertical(p, outHeight, filter);
        }
        return p;
    }

    /** Per output index: first input index, count, and fixed-point weights (ksize per output). */
    private record Coeffs(int[] start, int[] count, int[] weights, int ksize) {
    }

    private static Coeffs coeffs(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = ww != 0.0 ? k[x] / ww : k[x];
                // normalize_coeffs_8bpc: round half away from zero into fixed point
                weights[xx * ksize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                        : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coeffs(start, count, weights, ksize);
    }

    /** 32-bit accumulators, as Pillow's (the sums cannot overflow: weights sum to 2^22, samples are < 2^8). */
    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static Pixels horizontal(Pixels in, int outWidth, Filter filter) {
        Coeffs k = coeffs(in.width(), outWidth, filter);
        int c = in.channels();
        int w = in.width();
        byte[] src = in.data();
        byte[] out = new byte[in.height() * outWidth * c];
        int[] start = k.start();
        int[] count = k.count();
        int[] weights = k.weights();
        int ksize = k.ksize();
        final int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < in.height(); y++) {
            int row = y * w * c;
            int o = y * outWidth * c;
            for (int xx = 0; xx < outWidth; xx++) {
                int base = xx * ksize;
                int first = row + start[xx] * c;
                int n = count[xx];
                if (c == 3) { // RGB: the three channels share each tap's weight
                    int s0 = half;
                    int s1 = half;
                    int s2 = half;
                    for (int x = 0, i = first; x < n; x++, i += 3) {
                        int wgt = weights[base + x];
                        s0 += (src[i] & 0xff) * wgt;
                        s1 += (src[i + 1] & 0xff) * wgt;
                        s2 += (src[i + 2] & 0xff) * wgt;
                    }
                    out[o++] = clip8(s0);
                    out[o++] = clip8(s1);
                    out[o++] = clip8(s2);
                } else {
                    int ss = half;
                    for (int x = 0, i = first; x < n; x++, i++) {
                        ss += (src[i] & 0xff) * weights[base + x];
                    }
                    out[o++] = clip8(ss);
                }
            }
        }
        return new Pixels(in.height(), outWidth, c, out);
    }

    private static Pixels vertical(Pixels in, int outHeight, Filter filter) {
        Coeffs k = coeffs(in.height(), outHeight, filter);
        int c = in.channels();
        int rowLen = in.width() * c;
        byte[] src = in.data();
        byte[] out = new byte[outHeight * rowLen];
        int[] acc = new int[rowLen];
        for (int yy = 0; yy < outHeight; yy++) {
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int base = yy * k.ksize();
            for (int y = 0; y < k.count()[yy]; y++) {
                int wgt = k.weights()[base + y];
                int row = (y + k.start()[yy]) * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += (src[row + i] & 0xff) * wgt;
                }
            }
            for (int i = 0; i < rowLen; i++) {
                out[yy * rowLen + i] = clip8(acc[i]);
            }
        }
        return new Pixels(outHeight, in.width(), c, out);
    }
}
