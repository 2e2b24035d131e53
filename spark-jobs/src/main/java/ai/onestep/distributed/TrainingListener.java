package ai.onestep.distributed;

/** Observes a run from the driver (notebooks, pipelines, the CLI's progress line). Default methods do nothing. */
public interface TrainingListener {
    default void onRound(RoundMetrics m) {
    }

    /** A round was discarded (a worker's loss was not finite); it is retried with fresh minibatches. */
    default void onFailedRound(long round, String problem, int consecutive) {
    }

    default void onCheckpoint(String dir) {
    }

    default void onSamples(String png) {
    }

    default void onFinished(long step) {
    }
}
