package ai.onestep.data.stream;

import ai.onestep.image.Pixels;
import ai.onestep.data.shard.Row;

import java.util.List;

/**
 * A minibatch: {@code x} holds n images NCHW as floats in [-1, 1] (pixel / 127.5 - 1), {@code labels} their classes
 * (-1 = none), {@code after} the stream position once this batch is consumed.
 */
public record Batch(float[] x, int n, int channels, int height, int width, int[] labels, String[] keys,
                    Position after) {
    /** Rows (all of one size) as a batch; image i mirrored left-right when flips[i]. */
    public static Batch of(List<Row> rows, boolean[] flips, Position after) {
        Pixels first = rows.get(0).pixels();
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        int n = rows.size();
        float[] x = new float[n * c * h * w];
        int[] labels = new int[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            labels[i] = row.label();
            keys[i] = row.key();
            row.pixels().writeChw(x, i * c * h * w, flips[i]);
        }
        return new Batch(x, n, c, h, w, labels, keys, after);
    }

    public long[] shape() {
        return new long[]{n, channels, height, width};
    }
}
