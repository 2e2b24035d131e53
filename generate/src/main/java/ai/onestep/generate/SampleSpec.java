package ai.onestep.generate;

import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.schedule.Karras;

import java.util.List;

/**
 * What to sample, validated: the sampler, its steps or grid indices, how many images, the class and the seed. Shared by
 * {@code onestep sample} and the demo server, so both refuse the same things with the same words.
 *
 * @param heun  the EDM teacher's Heun sampler (Karras et al. 2022, Algorithm 1) instead of the consistency sampler
 * @param steps network evaluations for consistency models (1 = one step), Heun steps for teachers
 * @param ts    Karras-grid indices for multistep consistency sampling (Song et al. 2023, Algorithm 1), or null
 * @param grid  size of the Karras grid the indices refer to
 * @param num   images
 * @param batch images per forward pass
 * @param label class for class-conditional models, or null (cycles 0..K-1)
 * @param seed  seed of the noise: image i's draws depend only on (seed, i)
 * @param clamp clamp every denoised output to [-1, 1], as the original samplers do
 */
public record SampleSpec(boolean heun, int steps, List<Integer> ts, int grid, int num, int batch, Integer label, long seed,
                         boolean clamp) {
    public static final double SIGMA_MIN = 0.002;
    public static final double SIGMA_MAX = 80;

    public SampleSpec {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1 (got " + steps + ")");
        }
        if (num < 1) {
            throw new IllegalArgumentException("the number of images must be >= 1 (got " + num + ")");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1 (got " + batch + ")");
        }
        if (grid < 2) {
            throw new IllegalArgumentException("grid must be >= 2 (got " + grid + ")");
        }
        if (ts != null) {
            if (heun) {
                throw new IllegalArgumentException("ts (grid indices) are for consistency models, not the Heun sampler");
            }
            ts = List.copyOf(ts);
            if (ts.isEmpty()) {
                throw new IllegalArgumentException("ts must list at least one grid index");
            }
            for (int i = 0; i < ts.size(); i++) {
                int k = ts.get(i);
                if (k < 0 || k >= grid) {
                    throw new IllegalArgumentException("ts index " + k + " outside 0.." + (grid - 1));
                }
                if (i > 0 && k <= ts.get(i - 1)) {
                    throw new IllegalArgumentException("ts must increase (noise decreases along the grid): " + ts);
                }
            }
        }
    }

    /** The consistency sampler this spec names: one step from sigma_max, evenly spaced grid indices, or ts. */
    public ConsistencySampler consistencySampler() {
        if (ts == null && steps == 1) {
            return ConsistencySampler.oneStep(SIGMA_MAX, SIGMA_MIN);
        }
        double[] karras = Karras.standard().sigmas(grid);
        int[] idx;
        if (ts != null) {
            idx = ts.stream().mapToInt(Integer::intValue).toArray();
        } else {
            idx = new int[steps + 1];
            for (int i = 0; i <= steps; i++) {
                idx[i] = (int) Math.round((double) i * (grid - 1) / steps);
            }
        }
        return ConsistencySampler.fromGrid(karras, idx, SIGMA_MIN);
    }

    /** Network evaluations per image. */
    public int evaluations() {
        return heun ? 2 * steps - 1 : ts != null ? ts.size() : steps;
    }

    /** "Heun, 40 steps", "1 step" or "ts [0, 22] of 40". */
    public String describe() {
        return heun ? "Heun, " + steps + " steps" : ts != null ? "ts " + ts + " of " + grid
                : steps + " step" + (steps > 1 ? "s" : "");
    }
}
