package ai.onestep.data.stream;

/**
 * A minibatch: {@code x} holds n images NCHW as floats in [-1, 1] (pixel / 127.5 - 1), {@code labels} their classes
 * (-1 = none), {@code after} the stream position once this batch is consumed.
 */
public record Batch(float[] x, int n, int channels, int height, int width, int[] labels, String[] keys,
                    Position after) {
    public long[] shape() {
        return new long[]{n, channels, height, width};
    }
}
