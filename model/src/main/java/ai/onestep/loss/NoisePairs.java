package ai.onestep.loss;

import ai.onestep.schedule.Karras;
import ai.onestep.schedule.NoiseIndexSampler;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.util.Rng;

/** The adjacent noise levels (t_n, t_{n+1}) drawn for each sample of a consistency step, with their weights. */
record NoisePairs(double[] tLow, double[] tHigh, double[] weight) {
    static NoisePairs draw(int n, long k, Karras karras, StepSchedule schedule, NoiseIndexSampler indices,
                           Weighting weighting, double sigmaData, Rng rng) {
        double[] grid = karras.ascending(schedule.n(k));
        double[] tLow = new double[n];
        double[] tHigh = new double[n];
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            int idx = indices.sample(grid, rng);
            tLow[i] = grid[idx];
            tHigh[i] = grid[idx + 1];
            weight[i] = weighting.of(tLow[i], tHigh[i], sigmaData);
        }
        return new NoisePairs(tLow, tHigh, weight);
    }
}
