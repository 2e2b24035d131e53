package ai.onestep.train;

/** A step produced a NaN or infinite loss or gradient; the parameters were left unchanged. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    public NonFiniteLossException(long step) {
        super("non-finite loss or gradient at step " + step + "; parameters left at their last good values");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
