package ai.onestep.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Optional fast JPEG decoding through libjpeg-turbo's TurboJPEG Java binding (Debian: {@code libturbojpeg-java} +
 * {@code libturbojpeg0-dev}; {@code /usr/share/java/turbojpeg.jar} on the class path). It decodes with the same
 * accurate integer IDCT and fancy upsampling as ImageIO's libjpeg and as Pillow, so the pixels are identical
 * (ImageDecoderTest checks this), only faster (docs/performance.md). Used for YCbCr, RGB and gray JPEGs only; CMYK/YCCK, and any
 * file TurboJPEG complains about, go through ImageIO, which also classifies the damage.
 * Looked up reflectively: the jar is not on Maven Central, and OneStep runs without it.
 */
final class TurboJpeg {
    private static final int TJCS_RGB = 0;
    private static final int TJCS_YCBCR = 1;
    private static final int TJCS_GRAY = 2;

    private final MethodHandle create;
    private final MethodHandle width;
    private final MethodHandle height;
    private final MethodHandle colorspace;
    private final MethodHandle decompress;
    private final MethodHandle close;
    private final int pfRgb;
    private final int pfGray;

    static final TurboJpeg INSTANCE = load();

    private TurboJpeg(Class<?> d, Class<?> tj) throws ReflectiveOperationException {
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        create = l.findConstructor(d, MethodType.methodType(void.class, byte[].class));
        width = l.findVirtual(d, "getWidth", MethodType.methodType(int.class));
        height = l.findVirtual(d, "getHeight", MethodType.methodType(int.class));
        colorspace = l.findVirtual(d, "getColorspace", MethodType.methodType(int.class));
        decompress = l.findVirtual(d, "decompress",
                MethodType.methodType(byte[].class, int.class, int.class, int.class, int.class, int.class));
        close = l.findVirtual(d, "close", MethodType.methodType(void.class));
        pfRgb = tj.getField("PF_RGB").getInt(null);
        pfGray = tj.getField("PF_GRAY").getInt(null);
    }

    private static TurboJpeg load() {
        if ("off".equals(System.getProperty("onestep.turbojpeg"))) {
            return null;
        }
        try {
            // initialising TJDecompressor loads the native library; a missing one fails here, once
            Class<?> d = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, TurboJpeg.class.getClassLoader());
            return new TurboJpeg(d, Class.forName("org.libjpegturbo.turbojpeg.TJ"));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    static boolean available() {
        return INSTANCE != null;
    }

    /** The image, or null when this file should go through ImageIO instead. */
    Pixels decode(byte[] jpeg, long maxPixels) throws SkippedImageException {
        Object d = null;
        try {
            d = create.invoke(jpeg);
            int w = (int) width.invoke(d);
            int h = (int) height.invoke(d);
            if ((long) w * h > maxPixels) {
                throw new SkippedImageException(Outcome.TOO_LARGE, w + "x" + h + " exceeds " + maxPixels + " pixels");
            }
            int cs = (int) colorspace.invoke(d);
            if (cs != TJCS_RGB && cs != TJCS_YCBCR && cs != TJCS_GRAY) {
                return null;
            }
            int channels = cs == TJCS_GRAY ? 1 : 3;
            byte[] px = (byte[]) decompress.invoke(d, w, 0, h, channels == 1 ? pfGray : pfRgb, 0);
            return new Pixels(h, w, channels, px);
        } catch (SkippedImageException e) {
            throw e;
        } catch (Throwable e) {
            return null; // damaged or unusual: ImageIO decides, and names the reason
        } finally {
            if (d != null) {
                try {
                    close.invoke(d);
                } catch (Throwable ignored) {
                    // closing a decompressor only frees its handle
                }
            }
        }
    }
}
