package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Outcome;
import ai.onestep.image.Pixels;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The 8x8 handwritten digits as scikit-learn ships them ({@code digits.csv.gz}, from Debian's python3-sklearn):
 * one image per line, 64 gray levels 0-16 then the label. Levels become bytes as round(v * 255 / 16).
 */
public record DigitsCsvSource(String input) implements ImageSource {
    @Override
    public String name() {
        return "digits";
    }

    private List<int[]> rows(Configuration conf) throws IOException {
        Path p = new Path(input);
        Files.require(input, conf, false);
        List<int[]> out = new ArrayList<>();
        try (FSDataInputStream raw = p.getFileSystem(conf).open(p);
             InputStream in = input.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 65) {
                    throw new IllegalArgumentException(input + " line " + n + ": expected 65 values (64 pixels and a label), got " + f.length);
                }
                int[] row = new int[65];
                for (int i = 0; i < 65; i++) {
                    row[i] = (int) Math.round(Double.parseDouble(f[i]));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Override
    public Listing list(Configuration conf) throws IOException {
        List<int[]> rows = rows(conf);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            items.add(new Item(String.format("digits/%04d", i), rows.get(i)[64], Integer.toString(i)));
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add(Integer.toString(c));
        }
        return new Listing(items, classes, 1);
    }

    @Override
    public ItemReader open(Configuration conf, ImageDecoder decoder) throws IOException {
        List<int[]> rows = rows(conf);
        return new ItemReader() {
            @Override
            public ImageDecoder.Decoded read(Item item) {
                int[] row = rows.get(Integer.parseInt(item.locator()));
                byte[] px = new byte[64];
                for (int i = 0; i < 64; i++) {
                    px[i] = (byte) Math.round(Math.min(16, Math.max(0, row[i])) * 255 / 16.0);
                }
                return new ImageDecoder.Decoded(new Pixels(8, 8, 1, px), EnumSet.noneOf(Outcome.class));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return "8x8 digits CSV " + input;
    }
}
