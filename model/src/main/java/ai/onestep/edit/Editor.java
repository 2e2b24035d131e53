package ai.onestep.edit;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Check;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The zero-shot editing loop of Song et al. 2023 (Algorithm 4, "zero-shot image editing"): the multistep consistency
 * sampler with a projection after each denoise. From x at times[0]: x0 = P(clip(f(x, t_i))); then
 * x = x0 + sqrt(t_{i+1}^2 - sigma_min^2) z for the next time. The result is the last projected x0; a last time at
 * sigma_min only ends the chain (f(x, sigma_min) = x), as the original's index lists ending at the grid's end do.
 *
 * <p>With {@code repeats} r > 1, every time after the first is visited r times before the chain moves on: the
 * projected x0 is noised back to the same t_i and denoised again, the resampling of RePaint (Lugmayr et al. 2022,
 * Algorithm 1, "U" jumps of length one) that lets the regenerated pixels agree with the kept ones; r = 1 is
 * Algorithm 4 exactly.
 *
 * @param times    descending times; times[0] is where {@code start} sits (sigma_max for generation)
 * @param sigmaMin the boundary time
 * @param repeats  visits of each time after the first (>= 1)
 * @param clamp    clip each denoised output to [-1, 1] (the original always does)
 */
public record Editor(double[] times, double sigmaMin, int repeats, boolean clamp) {
    public Editor {
        times = Check.descendingTimes("editing", times, sigmaMin);
        Check.that(repeats >= 1 && repeats <= 1000, "editing repeats must be in 1..1000, got " + repeats);
    }

    /** Algorithm 4 of the paper: each time once. */
    public Editor(double[] times, double sigmaMin) {
        this(times, sigmaMin, 1);
    }

    /** Clamped, as the original. */
    public Editor(double[] times, double sigmaMin, int repeats) {
        this(times, sigmaMin, repeats, true);
    }

    public double[] times() {
        return times.clone();
    }

    /**
     * @param start x at times[0]: sigma_max * z to generate, the noisy input to denoise, a noised stroke painting
     * @param rng   the fresh noise of the later steps
     */
    public INDArray run(Denoiser f, Projection p, INDArray start, int[] labels, Rng rng) {
        int n = (int) start.size(0);
        Denoiser g = clamp ? f.clamped() : f;
        INDArray x = start;
        INDArray x0 = null;
        for (int i = 0; i < times.length; i++) {
            int visits = i == 0 ? 1 : repeats;
            for (int v = 0; v < visits; v++) {
                x0 = p.project(g.denoise(x, Tensors.fill(n, times[i]), labels));
                double next = v + 1 < visits ? times[i] : i + 1 < times.length ? times[i + 1] : sigmaMin;
                if (next <= sigmaMin) {
                    return x0;
                }
                double s = Math.sqrt(next * next - sigmaMin * sigmaMin);
                x = x0.add(Tensors.gaussian(rng, x0.dataType(), x0.shape()).muli(s));
            }
        }
        return x0;
    }
}
