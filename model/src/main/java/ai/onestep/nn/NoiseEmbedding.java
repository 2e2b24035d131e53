package ai.onestep.nn;

import ai.onestep.util.Rng;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/** Maps the scalar noise input c_noise to a vector the network can condition on. */
public enum NoiseEmbedding {
    /**
     * Transformer-style sinusoidal embedding as guided-diffusion's {@code timestep_embedding}: [cos(t f), sin(t f)],
     * f_j = 10000^(-j/half). The consistency-models UNet feeds t = 1000 * c_noise (c_noise = ln(sigma)/4), so the
     * input is scaled by 1000.
     */
    POSITIONAL(1000.0),
    /** Random Fourier features (Tancik et al. 2020; EDM's NCSN++): [cos(2 pi t f), sin(2 pi t f)], f ~ N(0, 16^2). */
    FOURIER(1.0);

    private static final long FOURIER_SEED = 20230301L;
    private final double inputScale;

    NoiseEmbedding(double inputScale) {
        this.inputScale = inputScale;
    }

    /** cNoise [N, 1] -> [N, dim]; dim must be even. Frequencies are constants of the graph, not parameters. */
    public SDVariable build(NetContext c, SDVariable cNoise, int dim) {
        int half = dim / 2;
        double[] f = new double[half];
        if (this == POSITIONAL) {
            for (int j = 0; j < half; j++) {
                f[j] = inputScale * Math.exp(-Math.log(10000.0) * j / half);
            }
        } else {
            Rng rng = Rng.of(FOURIER_SEED);
            for (int j = 0; j < half; j++) {
                f[j] = 2 * Math.PI * 16.0 * rng.gaussian();
            }
        }
        SDVariable freqs = c.sd().constant(Nd4j.createFromArray(new double[][]{f}).castTo(c.params().dtype()));
        SDVariable args = c.sd().mmul(cNoise, freqs);
        return c.sd().concat(1, c.sd().math().cos(args), c.sd().math().sin(args));
    }
}
