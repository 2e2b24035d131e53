package ai.onestep.sampler;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Check;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The EDM sampler, Karras et al. 2022, Algorithm 2 (stochastic; S_churn = 0 gives the deterministic Algorithm 1).
 *
 * @param solver Heun (2nd order) or Euler
 * @param sChurn total churn; 0 = deterministic
 * @param sTmin  churn only for t in [sTmin, sTmax]
 * @param sTmax  see sTmin
 * @param sNoise noise inflation of the churn step
 */
public record EdmSampler(OdeSolver solver, double sChurn, double sTmin, double sTmax, double sNoise) {
    public EdmSampler {
        Check.that(solver != null, "solver must be HEUN or EULER");
        Check.that(sChurn >= 0, "sChurn must be >= 0 (got " + sChurn + ")");
        Check.that(sNoise > 0, "sNoise must be > 0 (got " + sNoise + ")");
    }

    public static EdmSampler heun() {
        return new EdmSampler(OdeSolver.HEUN, 0, 0, Double.POSITIVE_INFINITY, 1);
    }

    public static EdmSampler euler() {
        return new EdmSampler(OdeSolver.EULER, 0, 0, Double.POSITIVE_INFINITY, 1);
    }

    /**
     * @param noise  standard normal [N, ...]
     * @param sigmas descending noise levels t_0 > ... > t_{n-1} > 0; a final step to t_n = 0 is appended
     */
    public INDArray sample(Denoiser d, INDArray noise, double[] sigmas, int[] labels, Rng rng) {
        return sample(d, SamplerNoise.of(noise, rng), noise.shape(), sigmas, labels);
    }

    /** A batch of {@code shape} [N, ...], its draws from {@code noise}: x_T, then z_i for the churn of step i. */
    public INDArray sample(Denoiser d, SamplerNoise noise, long[] shape, double[] sigmas, int[] labels) {
        int n = (int) shape[0];
        INDArray x = noise.initial(shape).mul(sigmas[0]);
        for (int i = 0; i < sigmas.length; i++) {
            double tCur = sigmas[i];
            double tNext = i + 1 < sigmas.length ? sigmas[i + 1] : 0.0;
            // Increase noise temporarily (churn).
            double gamma = tCur >= sTmin && tCur <= sTmax ? Math.min(sChurn / sigmas.length, Math.sqrt(2) - 1) : 0;
            double tHat = tCur + gamma * tCur;
            if (gamma > 0) {
                double s = Math.sqrt(tHat * tHat - tCur * tCur) * sNoise;
                x = x.add(noise.renoise(i + 1, shape).dup().muli(s));
            }
            // Euler step, then 2nd-order correction (Heun).
            x = solver.step(d, x, Tensors.fill(n, tHat), Tensors.fill(n, tNext), labels);
        }
        return x;
    }
}
