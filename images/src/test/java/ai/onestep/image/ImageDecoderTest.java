package ai.onestep.image;

import ai.onestep.testing.ImageFixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each awkward input is converted correctly or skipped for the right reason. */
class ImageDecoderTest {
    final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);

    static Outcome skipReason(ImageDecoder decoder, byte[] bytes, String name) {
        return assertThrows(SkippedImageException.class, () -> decoder.decode(bytes, name)).reason();
    }

    @Test
    void plainJpegDecodesToRgb() throws Exception {
        ImageDecoder.Decoded d = decoder.decode(ImageFixtures.jpeg(ImageFixtures.rgb(50, 30, 0)), "a.JPEG");
        assertEquals(3, d.pixels().channels());
        assertEquals(30, d.pixels().height());
        assertEquals(50, d.pixels().width());
        assertEquals(Set.of(), d.notes());
        // top-left is (r, g, b) = (0, 0, 0) in the pattern; JPEG is lossy, so within a few levels
        assertTrue(d.pixels().at(0, 0, 0) < 12 && d.pixels().at(29, 0, 1) > 240, "decoded values off");
    }

    @Test
    void pngKeepsExactPixels() throws Exception {
        var img = ImageFixtures.rgb(20, 10, 1);
        Pixels p = decoder.decode(ImageFixtures.encode(img, "png"), "a.png").pixels();
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                int rgb = img.getRGB(x, y);
                assertEquals((rgb >> 16) & 0xff, p.at(y, x, 0));
                assertEquals((rgb >> 8) & 0xff, p.at(y, x, 1));
                assertEquals(rgb & 0xff, p.at(y, x, 2));
            }
        }
    }

    @Test
    void pngNamedJpegIsDecodedByContentAndNoted() throws Exception {
        ImageDecoder.Decoded d = decoder.decode(ImageFixtures.encode(ImageFixtures.rgb(20, 10, 1), "png"), "photo.JPEG");
        assertEquals(3, d.pixels().channels());
        assertTrue(d.notes().contains(Outcome.MISNAMED), d.notes().toString());
    }

    @Test
    void grayscaleJpegStaysOneChannelWithoutGammaShift() throws Exception {
        // a lossless PNG checks the values exactly: Java's gray colour space must not gamma-shift them
        Pixels p = decoder.decode(ImageFixtures.encode(ImageFixtures.gray(30, 20), "png"), "g.png").pixels();
        assertEquals(1, p.channels());
        assertEquals((7 * 3 + 5) & 0xff, p.at(5, 7, 0));
        ImageDecoder.Decoded j = decoder.decode(ImageFixtures.jpeg(ImageFixtures.gray(30, 20)), "g.jpg");
        assertEquals(1, j.pixels().channels());
        assertTrue(j.notes().contains(Outcome.GRAYSCALE));
        assertTrue(Math.abs(j.pixels().at(10, 20, 0) - ((20 * 3 + 10) & 0xff)) <= 6, "gray JPEG value shifted");
    }

    @Test
    void sixteenBitPngKeepsHighByte() throws Exception {
        ImageDecoder.Decoded d = decoder.decode(ImageFixtures.encode(ImageFixtures.gray16(30, 20), "png"), "deep.png");
        assertTrue(d.notes().contains(Outcome.HIGH_BIT_DEPTH), d.notes().toString());
        assertEquals((7 * 3 + 5) & 0xff, d.pixels().at(5, 7, 0));
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws Exception {
        ImageDecoder.Decoded d = decoder.decode(ImageFixtures.cmykJpeg(40, 24), "cmyk.jpg");
        assertEquals(3, d.pixels().channels());
        assertEquals(24, d.pixels().height());
        assertTrue(d.notes().contains(Outcome.CMYK), d.notes().toString());
        // stored Adobe-inverted: at (0, 0) no cyan, magenta or black ink and a little yellow -> light, yellowish
        int r = d.pixels().at(0, 0, 0);
        int g = d.pixels().at(0, 0, 1);
        int b = d.pixels().at(0, 0, 2);
        assertTrue(r > 200 && g > 200 && b < r, "CMYK converted to " + r + "," + g + "," + b);
        // more cyan ink to the right -> less red
        assertTrue(d.pixels().at(0, 39, 0) < r - 60, "cyan gradient lost: " + d.pixels().at(0, 39, 0));
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        var img = ImageFixtures.rgb(40, 20, 0); // landscape, red grows left to right
        ImageDecoder.Decoded d = decoder.decode(ImageFixtures.withExifOrientation(ImageFixtures.jpeg(img), 6), "rot.jpg");
        assertTrue(d.notes().contains(Outcome.EXIF_ROTATED));
        // orientation 6: rotate 90 degrees clockwise to display -> portrait, red grows top to bottom
        assertEquals(40, d.pixels().height());
        assertEquals(20, d.pixels().width());
        assertTrue(d.pixels().at(0, 10, 0) < 20 && d.pixels().at(39, 10, 0) > 230, "not rotated clockwise");
    }

    @Test
    void turboJpegGivesTheSamePixelsAsImageIO() throws Exception {
        assertTrue(ImageDecoder.turboJpegAvailable(), "libjpeg-turbo's Java binding is missing: apt-get install "
                + "libturbojpeg-java libturbojpeg0-dev (.ci/run does), or run with -Donestep.turbojpeg=off to skip");
        ImageDecoder slow = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, false);
        byte[][] jpegs = {ImageFixtures.jpeg(ImageFixtures.rgb(500, 375, 3)), ImageFixtures.jpeg(ImageFixtures.rgb(37, 91, 1)),
                ImageFixtures.jpeg(ImageFixtures.gray(64, 48)), ImageFixtures.withExifOrientation(ImageFixtures.jpeg(ImageFixtures.rgb(60, 40, 2)), 8)};
        for (byte[] j : jpegs) {
            ImageDecoder.Decoded a = decoder.decode(j, "a.jpg");
            ImageDecoder.Decoded b = slow.decode(j, "a.jpg");
            assertEquals(b.notes(), a.notes());
            assertEquals(b.pixels().height(), a.pixels().height());
            assertEquals(b.pixels().channels(), a.pixels().channels());
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.pixels().data(), a.pixels().data());
        }
        brokenInputsAreSkippedBy(slow);
    }

    @Test
    void brokenInputsAreSkippedWithTheirReason() {
        brokenInputsAreSkippedBy(decoder);
    }

    void brokenInputsAreSkippedBy(ImageDecoder decoder) {
        byte[] jpeg = ImageFixtures.jpeg(ImageFixtures.rgb(200, 150, 2));
        assertEquals(Outcome.EMPTY_FILE, skipReason(decoder, new byte[0], "empty.jpg"));
        assertEquals(Outcome.NOT_AN_IMAGE, skipReason(decoder, "just some text\n".getBytes(StandardCharsets.UTF_8), "notes.txt"));
        assertEquals(Outcome.TRUNCATED, skipReason(decoder, ImageFixtures.truncated(jpeg, 0.5), "cut.jpg"));
        assertEquals(Outcome.CORRUPT, skipReason(decoder, ImageFixtures.corruptJpeg(jpeg), "bad.jpg"));
        assertEquals(Outcome.TOO_LARGE, skipReason(decoder, ImageFixtures.pngBomb(30000, 30000), "bomb.png"));
    }
}
