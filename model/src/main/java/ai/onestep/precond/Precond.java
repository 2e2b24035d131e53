package ai.onestep.precond;

/**
 * A preconditioning (EDM, Karras et al. 2022, Table 1): D(x, s) = c_skip(s) x + c_out(s) F(c_in(s) x, c_noise(s)).
 * Implementations add only these four scalings; the network, samplers and losses never care which one they hold.
 */
public interface Precond {
    /** The four scalings at one noise level. */
    record Scalings(double cSkip, double cOut, double cIn, double cNoise) {
    }

    Scalings at(double sigma);

    double sigmaData();
}
