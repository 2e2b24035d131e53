package ai.onestep.nn;

/**
 * How a convolutional network lays out its activations in memory. It is a choice of kernels, not of model: parameters
 * keep PyTorch's shapes and names in both, inputs and outputs stay [N, C, H, W], and the two compute the same function
 * ({@code UNetLayoutTest}).
 * <p>oneDNN runs its convolutions on channels-last data, so NHWC saves the reorders around every convolution, but
 * ND4J's reductions and broadcasts over GroupNorm's strided groups cost about as much again, so the two measure the
 * same (docs/decisions.md). Networks are built in NCHW; NHWC is reached only by passing it explicitly.
 */
public enum Layout {
    /** [N, C, H, W], PyTorch's default. */
    NCHW,
    /** [N, H, W, C], channels last. */
    NHWC;

    /** The layout networks are built with unless a caller (a test, the benchmark) picks one. */
    public static Layout standard() {
        return NCHW;
    }

    /** The axis holding channels in a rank-4 activation. */
    public int channelAxis() {
        return this == NCHW ? 1 : 3;
    }

    /** The per-sample shape of a [channels, h, w] activation in this layout. */
    public long[] sampleShape(long channels, long h, long w) {
        return this == NCHW ? new long[]{channels, h, w} : new long[]{h, w, channels};
    }

    /** The same with the batch axis first, -1 (any batch size). */
    public long[] batchShape(long channels, long h, long w) {
        return this == NCHW ? new long[]{-1, channels, h, w} : new long[]{-1, h, w, channels};
    }

    /** The shape that broadcasts a per-sample, per-channel vector [N, channels] over an activation. */
    public long[] perChannel(long channels) {
        return this == NCHW ? new long[]{-1, channels, 1, 1} : new long[]{-1, 1, 1, channels};
    }

    /** ND4J's name of this layout (Conv2DConfig's dataFormat). */
    public String nd4jName() {
        return name();
    }
}
