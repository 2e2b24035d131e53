package ai.onestep.digits;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The 8x8 handwritten digits of Debian's python3-sklearn (digits.csv.gz: 1,797 rows of 64 pixels in 0..16 and a
 * label), fetched by bin/fetch-data into a cache — never committed. Fails loudly when it cannot be fetched.
 */
final class Digits {
    final INDArray images; // [N, 1, 8, 8] in [-1, 1]
    final int[] labels;

    private Digits(INDArray images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    static Digits load() throws IOException, InterruptedException {
        Path file = fetch();
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                float[] px = new float[64];
                for (int i = 0; i < 64; i++) {
                    px[i] = Float.parseFloat(f[i]) / 8f - 1f;
                }
                rows.add(px);
                labels.add((int) Float.parseFloat(f[64]));
            }
        }
        float[][] all = rows.toArray(new float[0][]);
        return new Digits(Nd4j.createFromArray(all).reshape(all.length, 1, 8, 8),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Path fetch() throws IOException {
        try {
            return Path.of(ai.onestep.testing.FetchData.fetch("digits")); // Debian's python3-sklearn, via apt-get download
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
