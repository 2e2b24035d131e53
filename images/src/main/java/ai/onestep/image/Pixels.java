package ai.onestep.image;

import ai.onestep.util.Check;

/** An 8-bit image in HWC order (channels 1 = gray, 3 = RGB): the one pixel type of data preparation. */
public record Pixels(int height, int width, int channels, byte[] data) {
    public Pixels {
        Check.positive("height", height);
        Check.positive("width", width);
        Check.that(channels == 1 || channels == 3, "channels must be 1 or 3 (got " + channels + ")");
        Check.that(data.length == (long) height * width * channels,
                "pixel buffer holds " + data.length + " bytes, expected " + (long) height * width * channels);
    }

    public int at(int y, int x, int c) {
        return data[(y * width + x) * channels + c] & 0xff;
    }

    /**
     * Writes this image CHW into {@code dst} from {@code offset}, scaled to [-1, 1] as training reads pixels
     * (v / 127.5 - 1), mirrored left-right when {@code flip}.
     */
    public void writeChw(float[] dst, int offset, boolean flip) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int src = (y * width + (flip ? width - 1 - x : x)) * channels;
                for (int c = 0; c < channels; c++) {
                    dst[offset + (c * height + y) * width + x] = (data[src + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
    }

    /** Gray to RGB by replication; RGB to gray with PIL's "L" conversion (ITU-R 601-2 luma, L = R*299/1000 + ...). */
    public Pixels withChannels(int target) {
        if (target == channels) {
            return this;
        }
        int n = height * width;
        byte[] out = new byte[n * target];
        if (target == 3) {
            for (int i = 0; i < n; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = data[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                int r = data[3 * i] & 0xff;
                int g = data[3 * i + 1] & 0xff;
                int b = data[3 * i + 2] & 0xff;
                // PIL ImagingConvert RGB->L: (r*19595 + g*38470 + b*7471 + 0x8000) >> 16
                out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new Pixels(height, width, target, out);
    }
}
