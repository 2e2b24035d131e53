package ai.onestep.schedule;

import ai.onestep.util.Check;

/**
 * The adaptive schedule of consistency training (Song et al. 2023, Appendix C, eq. for N(k) and mu(k)):
 * s = max(1, ceil(sqrt(k/K ((s1+1)^2 - s0^2) + s0^2) - 1)), N(k) = s + 1, mu(k) = exp(s0 ln(mu0) / s).
 */
public record CmAdaptiveSchedule(int s0, int s1, double mu0, long totalSteps) implements StepSchedule {
    public CmAdaptiveSchedule {
        Check.positive("s0", s0);
        Check.that(s1 >= s0, "s1 must be >= s0 (got " + s1 + " < " + s0 + ")");
        Check.inHalfOpen("mu0", mu0, 0, 1);
        Check.positive("totalSteps", totalSteps);
    }

    private double s(long k) {
        double inner = (double) k / totalSteps * ((s1 + 1.0) * (s1 + 1.0) - (double) s0 * s0) + (double) s0 * s0;
        return Math.max(1.0, Math.ceil(Math.sqrt(inner) - 1));
    }

    @Override
    public int n(long k) {
        return (int) s(k) + 1;
    }

    @Override
    public double mu(long k) {
        return Math.exp(s0 * Math.log(mu0) / s(k));
    }
}
