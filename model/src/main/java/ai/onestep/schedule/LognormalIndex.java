package ai.onestep.schedule;

import ai.onestep.util.Rng;
import org.apache.commons.math3.special.Erf;

/**
 * The lognormal noise-index distribution of improved consistency training (Song & Dhariwal 2023, eq. 10):
 * p(n) proportional to erf((ln t_{n+1} - Pm)/(sqrt2 Ps)) - erf((ln t_n - Pm)/(sqrt2 Ps)); Pm = -1.1, Ps = 2.0.
 */
public record LognormalIndex(double pMean, double pStd) implements NoiseIndexSampler {
    public static LognormalIndex standard() {
        return new LognormalIndex(-1.1, 2.0);
    }

    public double[] probabilities(double[] ascending) {
        int pairs = ascending.length - 1;
        double[] p = new double[pairs];
        double total = 0;
        for (int n = 0; n < pairs; n++) {
            p[n] = Erf.erf((Math.log(ascending[n + 1]) - pMean) / (Math.sqrt(2) * pStd))
                    - Erf.erf((Math.log(ascending[n]) - pMean) / (Math.sqrt(2) * pStd));
            total += p[n];
        }
        for (int n = 0; n < pairs; n++) {
            p[n] /= total;
        }
        return p;
    }

    @Override
    public int sample(double[] ascending, Rng rng) {
        double[] p = probabilities(ascending);
        double u = rng.uniform();
        double acc = 0;
        for (int n = 0; n < p.length; n++) {
            acc += p[n];
            if (u < acc) {
                return n;
            }
        }
        return p.length - 1;
    }
}
