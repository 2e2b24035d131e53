package ai.onestep.loss;

import ai.onestep.precond.Denoiser;
import ai.onestep.schedule.Karras;
import ai.onestep.schedule.NoiseIndexSampler;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Consistency training (Song et al. 2023, Algorithm 3; eq. 10): with one z for both points,
 * online f_theta(x + t_{n+1} z, t_{n+1}) is pulled towards target f_theta-(x + t_n z, t_n) (no gradient).
 */
public final class ConsistencyTrainingLoss implements Objective {
    private final Denoiser target;
    private final Karras karras;
    private final StepSchedule schedule;
    private final NoiseIndexSampler indices;
    private final Weighting weighting;
    private final Distance distance;
    private final double sigmaData;

    public ConsistencyTrainingLoss(Denoiser target, Karras karras, StepSchedule schedule, NoiseIndexSampler indices,
                                   Weighting weighting, Distance distance, double sigmaData) {
        this.target = target;
        this.karras = karras;
        this.schedule = schedule;
        this.indices = indices;
        this.weighting = weighting;
        this.distance = distance;
        this.sigmaData = sigmaData;
    }

    @Override
    public Example prepare(INDArray x0, int[] labels, long k, Rng rng, Map<String, INDArray> masks) {
        int n = (int) x0.size(0);
        NoisePairs p = NoisePairs.draw(n, k, karras, schedule, indices, weighting, sigmaData, rng);
        INDArray z = Tensors.gaussian(rng, x0.dataType(), x0.shape());
        INDArray xLow = Tensors.addScaledRows(x0, z, p.tLow());
        INDArray y = target.denoise(xLow, p.tLow(), labels, masks);
        return new Example(Tensors.addScaledRows(x0, z, p.tHigh()), p.tHigh(), labels, y, p.weight());
    }

    @Override
    public Distance distance() {
        return distance;
    }
}
