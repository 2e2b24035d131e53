package ai.onestep.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Our resize against reference pixels computed independently by Pillow 9.4 (the library guided-diffusion calls) on
 * the same synthetic inputs: see src/test/resources/center-crop/make_reference.py. Every byte must match.
 */
class CenterCropTest {
    static byte[] pattern(int w, int h, int c) {
        byte[] out = new byte[w * h * c];
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[i++] = (byte) ((x * x * 3 + y * 7 + x * y + ch * 85 + ((x * 131 + y * 71) % 23) * 5) % 256);
                }
            }
        }
        return out;
    }

    /** Decoding too: Pillow decoded photo.jpg (its own JPEG) and centre-cropped it; both our decoders must agree. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void jpegDecodePlusCropMatchesPillow(boolean turbo) throws Exception {
        byte[] jpeg;
        byte[] expected;
        try (InputStream a = getClass().getResourceAsStream("/center-crop/photo.jpg");
             InputStream b = getClass().getResourceAsStream("/center-crop/photo.jpg-64.bin")) {
            jpeg = a.readAllBytes();
            expected = b.readAllBytes();
        }
        Pixels p = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, turbo).decode(jpeg, "photo.jpg").pixels();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, CenterCrop.apply(p, 64).data());
    }

    @ParameterizedTest
    @CsvSource({"500,375,3,64", "375,500,3,64", "131,97,3,64", "300,200,1,32", "1024,768,3,256", "2000,1501,3,64",
            "64,64,1,64", "67,301,3,28"})
    void matchesPillowBitForBit(int w, int h, int c, int size) throws IOException {
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/center-crop/" + w + "x" + h + "x" + c + "-" + size + ".bin")) {
            assertNotNull(in, "reference file missing");
            expected = in.readAllBytes();
        }
        Pixels out = CenterCrop.apply(new Pixels(h, w, c, pattern(w, h, c)), size);
        assertEquals(size, out.height());
        assertEquals(size, out.width());
        int mismatches = 0;
        int maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs((expected[i] & 0xff) - (out.data()[i] & 0xff));
            if (d != 0) {
                mismatches++;
                maxDiff = Math.max(maxDiff, d);
            }
        }
        assertEquals(0, mismatches, mismatches + " of " + expected.length + " bytes differ, max by " + maxDiff);
    }
}
