package ai.onestep.ckpt;

/** A checkpoint that is incomplete, truncated, tampered with or of another architecture. */
public final class CorruptCheckpointException extends RuntimeException {
    public CorruptCheckpointException(String message) {
        super(message);
    }

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
