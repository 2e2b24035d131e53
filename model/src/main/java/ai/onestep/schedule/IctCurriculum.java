package ai.onestep.schedule;

import ai.onestep.util.Check;

/**
 * The doubling curriculum of improved consistency training (Song & Dhariwal 2023, eq. 8):
 * K' = floor(K / (log2 floor(s1/s0) + 1)), N(k) = min(s0 2^floor(k/K'), s1) + 1, and mu = 0 (stop-gradient target).
 */
public record IctCurriculum(int s0, int s1, long totalSteps) implements StepSchedule {
    public IctCurriculum {
        Check.positive("s0", s0);
        Check.that(s1 >= s0, "s1 must be >= s0 (got " + s1 + " < " + s0 + ")");
        Check.positive("totalSteps", totalSteps);
    }

    public long stageLength() {
        long doublings = 63 - Long.numberOfLeadingZeros(s1 / s0); // floor(log2(floor(s1/s0)))
        return Math.max(1, (long) Math.floor(totalSteps / (doublings + 1.0)));
    }

    @Override
    public int n(long k) {
        long stage = k / stageLength();
        long points = stage >= 31 ? s1 : Math.min((long) s0 << stage, s1);
        return (int) points + 1;
    }

    @Override
    public double mu(long k) {
        return 0.0;
    }
}
