package ai.onestep.conf;

import ai.onestep.util.Check;

/** The {@code run} section: size and rhythm of a distributed run (docs/training.md). */
public record RunSettings(long seed, long steps, int workers, int batchPerWorker, int localSteps, int checkpointEvery,
                          int sampleEvery, int logEvery, int maxFailedRounds, int prefetch, double deviceMemoryGb,
                          double transferChunkMb) {
    public RunSettings {
        Check.that(steps >= 1, "run.steps must be >= 1 (got " + steps + ")");
        Check.that(workers >= 1 && workers <= 4096, "run.workers must be in 1..4096 (got " + workers + ")");
        Check.that(batchPerWorker >= 1, "run.batchPerWorker must be >= 1 (got " + batchPerWorker + ")");
        Check.that(localSteps >= 1, "run.localSteps must be >= 1 (got " + localSteps + ")");
        Check.that(checkpointEvery >= 1, "run.checkpointEvery must be >= 1 (got " + checkpointEvery + ")");
        Check.that(sampleEvery >= 0, "run.sampleEvery must be >= 0 (got " + sampleEvery + ")");
        Check.that(logEvery >= 1, "run.logEvery must be >= 1 (got " + logEvery + ")");
        Check.that(maxFailedRounds >= 1, "run.maxFailedRounds must be >= 1 (got " + maxFailedRounds + ")");
        Check.that(prefetch >= 1, "run.prefetch must be >= 1 (got " + prefetch + ")");
        Check.that(transferChunkMb > 0 && transferChunkMb <= 1024, "run.transferChunkMb must be in (0, 1024] (got "
                + transferChunkMb + ")");
        Check.that(deviceMemoryGb > 0, "run.deviceMemoryGb must be > 0 (got " + deviceMemoryGb + ")");
    }

    /** Rounds in the whole run (the last one may be shorter than H steps). */
    public long rounds() {
        return (steps + localSteps - 1) / localSteps;
    }
}
