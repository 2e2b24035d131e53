package ai.onestep.schedule;

import ai.onestep.util.Check;

/** Constant N and mu, as consistency distillation uses (Song et al. 2023: N = 18 or 40, mu = 0.95). */
public record FixedSchedule(int points, double decay) implements StepSchedule {
    public FixedSchedule {
        Check.that(points >= 2, "N must be >= 2 (got " + points + ")");
        Check.inHalfOpen("mu", decay, 0, 1);
    }

    @Override
    public int n(long k) {
        return points;
    }

    @Override
    public double mu(long k) {
        return decay;
    }
}
