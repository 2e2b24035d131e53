package ai.onestep.image;

/** An input that cannot become a training image; carries the reason it is counted under. */
public final class SkippedImageException extends Exception {
    private final Outcome reason;

    public SkippedImageException(Outcome reason, String detail) {
        super(reason.key() + ": " + detail);
        this.reason = reason;
    }

    public Outcome reason() {
        return reason;
    }
}
