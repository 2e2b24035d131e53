package ai.onestep.data.stream;

import java.io.Serializable;

/** Where a worker's stream stands: images consumed in the current epoch. Saved in checkpoints to resume exactly. */
public record Position(int worker, long epoch, long offset) implements Serializable {
    public Position {
        if (worker < 0 || epoch < 0 || offset < 0) {
            throw new IllegalArgumentException("position fields must be >= 0 (got " + worker + ", " + epoch + ", " + offset + ")");
        }
    }

    public static Position start(int worker) {
        return new Position(worker, 0, 0);
    }
}
