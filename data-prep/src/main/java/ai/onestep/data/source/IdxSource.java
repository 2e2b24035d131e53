package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Outcome;
import ai.onestep.image.Pixels;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-format IDX files (MNIST, Fashion-MNIST), gzipped or not (detected by content): an unsigned-byte image file
 * with magic 0x00000803 and dimensions [n, rows, cols], and optionally the matching label file (magic 0x00000801).
 * {@code input} is the image file, or a directory holding {@code <split>-images-idx3-ubyte[.gz]}. Grayscale: 1 channel.
 */
public record IdxSource(String input, String split) implements ImageSource {
    public IdxSource {
        split = split == null ? "train" : split;
    }

    @Override
    public String name() {
        return "idx";
    }

    /** Resolved file locations. */
    record Paths(Path images, Path labels) {
    }

    Paths resolve(Configuration conf) throws IOException {
        Path in = new Path(input);
        FileSystem fs = in.getFileSystem(conf);
        if (!fs.exists(in)) {
            throw new IllegalArgumentException("input does not exist: " + input);
        }
        Path images = in;
        if (fs.getFileStatus(in).isDirectory()) {
            images = firstExisting(fs, in, split + "-images-idx3-ubyte", split + "-images.idx3-ubyte");
            if (images == null) {
                throw new IllegalArgumentException("no IDX image file " + split + "-images-idx3-ubyte[.gz] in " + input);
            }
        }
        String n = images.getName();
        Path labels = firstExisting(fs, images.getParent(),
                n.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1").replaceAll("\\.gz$", ""));
        return new Paths(fs.makeQualified(images), labels == null ? null : fs.makeQualified(labels));
    }

    private static Path firstExisting(FileSystem fs, Path dir, String... names) throws IOException {
        for (String name : names) {
            for (String candidate : new String[]{name, name + ".gz"}) {
                Path p = new Path(dir, candidate);
                if (fs.exists(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static DataInputStream open(Path p, Configuration conf) throws IOException {
        FSDataInputStream raw = p.getFileSystem(conf).open(p);
        BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int m0 = b.read();
        int m1 = b.read();
        b.reset();
        InputStream in = m0 == 0x1f && m1 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
        return new DataInputStream(in);
    }

    /** The image file's header: count, rows, cols. */
    static int[] header(DataInputStream in, Path p) throws IOException {
        int magic = in.readInt();
        if (magic != 0x00000803) {
            throw new IllegalArgumentException(p + " is not an IDX unsigned-byte image file (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x803)");
        }
        return new int[]{in.readInt(), in.readInt(), in.readInt()};
    }

    @Override
    public Listing list(Configuration conf) throws IOException {
        Paths paths = resolve(conf);
        int n;
        try (DataInputStream in = open(paths.images(), conf)) {
            n = header(in, paths.images())[0];
        }
        int[] labels = paths.labels() == null ? null : readLabels(paths.labels(), conf, n);
        List<Item> items = new ArrayList<>(n);
        int maxLabel = -1;
        for (int i = 0; i < n; i++) {
            int label = labels == null ? -1 : labels[i];
            maxLabel = Math.max(maxLabel, label);
            items.add(new Item(String.format("%s/%06d", split, i), label, Integer.toString(i)));
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= maxLabel; c++) {
            classes.add(Integer.toString(c));
        }
        return new Listing(items, classes, 1);
    }

    static int[] readLabels(Path p, Configuration conf, int expected) throws IOException {
        try (DataInputStream in = open(p, conf)) {
            int magic = in.readInt();
            int n = in.readInt();
            if (magic != 0x00000801 || n != expected) {
                throw new IllegalArgumentException(p + " is not an IDX label file for " + expected + " images (magic 0x"
                        + Integer.toHexString(magic) + ", count " + n + ")");
            }
            byte[] b = new byte[n];
            in.readFully(b);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = b[i] & 0xff;
            }
            return out;
        }
    }

    @Override
    public ItemReader open(Configuration conf, ImageDecoder decoder) throws IOException {
        Paths paths = resolve(conf);
        final int rows;
        final int cols;
        final byte[] all;
        try (DataInputStream in = open(paths.images(), conf)) {
            int[] h = header(in, paths.images());
            rows = h[1];
            cols = h[2];
            all = new byte[Math.multiplyExact(h[0], rows * cols)];
            in.readFully(all);
        }
        return new ItemReader() {
            @Override
            public ImageDecoder.Decoded read(Item item) {
                int i = Integer.parseInt(item.locator());
                byte[] px = new byte[rows * cols];
                System.arraycopy(all, i * rows * cols, px, 0, px.length);
                return new ImageDecoder.Decoded(new Pixels(rows, cols, 1, px), EnumSet.noneOf(Outcome.class));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return "IDX images " + input + " (split " + split + ")";
    }
}
