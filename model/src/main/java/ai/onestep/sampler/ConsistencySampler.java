package ai.onestep.sampler;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Check;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Consistency-model sampling, Song et al. 2023, Algorithm 1: x = f(T z, T); then for each later time tau:
 * x = f(x + sqrt(tau^2 - sigma_min^2) z, tau). One time gives one-step generation.
 *
 * @param times    descending times, the first being sigma_max (T)
 * @param sigmaMin the boundary time
 */
public record ConsistencySampler(double[] times, double sigmaMin) {
    public ConsistencySampler {
        times = Check.descendingTimes("sampling", times, sigmaMin);
    }

    public static ConsistencySampler oneStep(double sigmaMax, double sigmaMin) {
        return new ConsistencySampler(new double[]{sigmaMax}, sigmaMin);
    }

    /** Times given as indices into a Karras grid, e.g. 0,22,39 of a 40-point grid (the original's 2-step ImageNet). */
    public static ConsistencySampler fromGrid(double[] karrasDescending, int[] indices, double sigmaMin) {
        double[] t = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Check.that(indices[i] >= 0 && indices[i] < karrasDescending.length, "grid index " + indices[i]
                    + " outside 0.." + (karrasDescending.length - 1));
            t[i] = karrasDescending[indices[i]];
        }
        return new ConsistencySampler(t, sigmaMin);
    }

    public double[] times() {
        return times.clone();
    }

    /** @param noise standard normal [N, ...]; rng supplies the fresh noise of the later steps. */
    public INDArray sample(Denoiser f, INDArray noise, int[] labels, Rng rng) {
        return sample(f, SamplerNoise.of(noise, rng), noise.shape(), labels);
    }

    /** A batch of {@code shape} [N, ...], its draws from {@code noise}: x_T, then z_i after step i. */
    public INDArray sample(Denoiser f, SamplerNoise noise, long[] shape, int[] labels) {
        int n = (int) shape[0];
        INDArray x = f.denoise(noise.initial(shape).mul(times[0]), Tensors.fill(n, times[0]), labels);
        for (int i = 1; i < times.length; i++) {
            double tau = times[i];
            if (tau <= sigmaMin) {
                break; // f(x, sigma_min) = x exactly (boundary condition): the original skips this evaluation too
            }
            double s = Math.sqrt(tau * tau - sigmaMin * sigmaMin);
            INDArray z = noise.renoise(i, shape).dup();
            x = f.denoise(x.add(z.muli(s)), Tensors.fill(n, tau), labels);
        }
        return x;
    }
}
