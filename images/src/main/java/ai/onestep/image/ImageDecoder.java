package ai.onestep.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Encoded bytes (JPEG incl. CMYK, PNG incl. 16-bit and palette, WebP, BMP, GIF) to 8-bit {@link Pixels}. The format is
 * sniffed from the content, never the file name. Dimensions are checked before any pixel is decoded, so a
 * decompression bomb costs nothing. Samples are read as stored (no colour management), like Pillow's
 * {@code convert("RGB")}; 16-bit samples keep their high byte; the EXIF orientation of a JPEG is applied.
 */
public final class ImageDecoder {
    /** Pillow's default {@code Image.MAX_IMAGE_PIXELS}: larger declared images are refused before decoding. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    /** A decoded image and what was done to it. */
    public record Decoded(Pixels pixels, Set<Outcome> notes) {
    }

    private final long maxPixels;
    private final boolean useTurbo;

    public ImageDecoder(long maxPixels) {
        this(maxPixels, true);
    }

    /** @param useTurbo decode plain JPEGs with libjpeg-turbo when its Java binding is present (same pixels) */
    public ImageDecoder(long maxPixels, boolean useTurbo) {
        this.maxPixels = maxPixels;
        this.useTurbo = useTurbo;
    }

    /** Whether libjpeg-turbo's Java binding was found (class path and native library). */
    public static boolean turboJpegAvailable() {
        return TurboJpeg.available();
    }

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    /** @param name the file name or key, used only to notice a format that differs from the extension. */
    public Decoded decode(byte[] bytes, String name) throws SkippedImageException {
        if (bytes.length == 0) {
            throw new SkippedImageException(Outcome.EMPTY_FILE, name);
        }
        Set<Outcome> notes = EnumSet.noneOf(Outcome.class);
        if (useTurbo && TurboJpeg.available() && bytes.length > 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8) {
            Pixels fast = TurboJpeg.INSTANCE.decode(bytes, maxPixels);
            if (fast != null) {
                if (!extensionMatches(name, "jpeg")) {
                    notes.add(Outcome.MISNAMED);
                }
                if (fast.channels() == 1) {
                    notes.add(Outcome.GRAYSCALE);
                }
                int orientation = ExifOrientation.read(bytes);
                if (orientation != 1) {
                    notes.add(Outcome.EXIF_ROTATED);
                    fast = ExifOrientation.apply(fast, orientation);
                }
                return new Decoded(fast, notes);
            }
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new SkippedImageException(Outcome.NOT_AN_IMAGE, name + ": no image format recognised");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!extensionMatches(name, format)) {
                    notes.add(Outcome.MISNAMED);
                }
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels) {
                    throw new SkippedImageException(Outcome.TOO_LARGE,
                            name + ": " + w + "x" + h + " exceeds " + maxPixels + " pixels");
                }
                if (storedAsCmyk(reader)) {
                    notes.add(Outcome.CMYK);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((IIOReadWarningListener) (r, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String warning : warnings) {
                    String lw = warning.toLowerCase(Locale.ROOT);
                    if (lw.contains("premature end") || lw.contains("truncat")) {
                        throw new SkippedImageException(Outcome.TRUNCATED, name + ": " + warning);
                    }
                    if (lw.contains("corrupt")) {
                        throw new SkippedImageException(Outcome.CORRUPT, name + ": " + warning);
                    }
                }
                Pixels p = toPixels(img, notes);
                if (format.equals("jpeg")) {
                    int orientation = ExifOrientation.read(bytes);
                    if (orientation != 1) {
                        notes.add(Outcome.EXIF_ROTATED);
                        p = ExifOrientation.apply(p, orientation);
                    }
                }
                return new Decoded(p, notes);
            } finally {
                reader.dispose();
            }
        } catch (java.io.EOFException e) {
            throw new SkippedImageException(Outcome.TRUNCATED, name + ": " + e);
        } catch (IOException | RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            Outcome why = msg.contains("premature") || msg.contains("eof") || msg.contains("end of")
                    || msg.contains("truncat") ? Outcome.TRUNCATED : Outcome.CORRUPT;
            throw new SkippedImageException(why, name + ": " + e);
        }
    }

    private static boolean storedAsCmyk(ImageReader reader) {
        try {
            javax.imageio.ImageTypeSpecifier raw = reader.getRawImageType(0);
            return raw != null && raw.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean extensionMatches(String name, String format) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return true;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (format) {
            case "jpeg" -> ext.equals("jpg") || ext.equals("jpeg") || ext.equals("jpe") || ext.equals("jfif");
            case "png" -> ext.equals("png");
            case "webp" -> ext.equals("webp");
            case "bmp" -> ext.equals("bmp") || ext.equals("dib");
            case "gif" -> ext.equals("gif");
            default -> true;
        };
    }

    /** Stored samples to 8-bit gray or RGB; palettes and foreign colour spaces through the colour model. */
    static Pixels toPixels(BufferedImage img, Set<Outcome> notes) {
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int h = img.getHeight();
        int w = img.getWidth();
        int colors = cm.getNumColorComponents();
        if (cm.hasAlpha()) {
            notes.add(Outcome.ALPHA_DROPPED);
        }
        if (cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK) {
            notes.add(Outcome.CMYK);
        }
        boolean samples = !(cm instanceof IndexColorModel) && (colors == 1 || colors == 3)
                && cm.getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_CMYK;
        if (!samples) {
            if (cm instanceof IndexColorModel) {
                notes.add(Outcome.PALETTE);
            }
            byte[] out = new byte[h * w * 3];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    out[i] = (byte) (row[x] >> 16);
                    out[i + 1] = (byte) (row[x] >> 8);
                    out[i + 2] = (byte) row[x];
                }
            }
            return new Pixels(h, w, 3, out);
        }
        if (colors == 1) {
            notes.add(Outcome.GRAYSCALE);
        }
        int bits = cm.getComponentSize(0);
        if (bits > 8) {
            notes.add(Outcome.HIGH_BIT_DEPTH);
        }
        byte[] out = new byte[h * w * colors];
        int[] buf = new int[w];
        for (int c = 0; c < colors; c++) {
            int bc = cm.getComponentSize(c);
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, c, buf);
                for (int x = 0; x < w; x++) {
                    int v = buf[x];
                    int v8 = bc == 8 ? v : bc > 8 ? v >>> (bc - 8) : (v * 255 + ((1 << bc) - 1) / 2) / ((1 << bc) - 1);
                    out[(y * w + x) * colors + c] = (byte) v8;
                }
            }
        }
        return new Pixels(h, w, colors, out);
    }
}
