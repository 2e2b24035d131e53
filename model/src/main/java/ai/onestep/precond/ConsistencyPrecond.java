package ai.onestep.precond;

import ai.onestep.util.Check;

/**
 * Consistency-model parameterisation (Song et al. 2023, Appendix C, eq. 3 and its sigma_min shift):
 * c_skip = sd^2 / ((s - s_min)^2 + sd^2), c_out = (s - s_min) sd / sqrt(s^2 + sd^2), so that at s = s_min
 * c_skip = 1 and c_out = 0 exactly: the boundary condition f(x, s_min) = x holds by construction.
 */
public record ConsistencyPrecond(double sigmaData, double sigmaMin) implements Precond {
    public ConsistencyPrecond {
        Check.positive("sigmaData", sigmaData);
        Check.positive("sigmaMin", sigmaMin);
    }

    public static ConsistencyPrecond standard() {
        return new ConsistencyPrecond(0.5, 0.002);
    }

    /** The standard boundary (sigma_min = 0.002) for data of standard deviation {@code sigmaData}. */
    public static ConsistencyPrecond withSigmaData(double sigmaData) {
        return new ConsistencyPrecond(sigmaData, standard().sigmaMin());
    }

    @Override
    public Scalings at(double s) {
        double sd2 = sigmaData * sigmaData;
        double shifted = s - sigmaMin;
        return new Scalings(sd2 / (shifted * shifted + sd2), shifted * sigmaData / Math.sqrt(s * s + sd2),
                1 / Math.sqrt(s * s + sd2), Math.log(s) / 4);
    }
}
