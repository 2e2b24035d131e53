package ai.onestep.loss;

import ai.onestep.precond.Denoiser;
import ai.onestep.sampler.OdeSolver;
import ai.onestep.schedule.Karras;
import ai.onestep.schedule.NoiseIndexSampler;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Consistency distillation (Song et al. 2023, Algorithm 2; eq. 7): x_{t_{n+1}} = x + t_{n+1} z; one ODE step of
 * the teacher (Heun by default, Euler as an option) gives x_{t_n}; the online f_theta(x_{t_{n+1}}, t_{n+1}) is
 * pulled towards the target f_theta-(x_{t_n}, t_n).
 */
public final class ConsistencyDistillationLoss implements Objective {
    private final Denoiser teacher;
    private final OdeSolver solver;
    private final Denoiser target;
    private final Karras karras;
    private final StepSchedule schedule;
    private final NoiseIndexSampler indices;
    private final Weighting weighting;
    private final Distance distance;
    private final double sigmaData;

    public ConsistencyDistillationLoss(Denoiser teacher, OdeSolver solver, Denoiser target, Karras karras,
                                       StepSchedule schedule, NoiseIndexSampler indices, Weighting weighting,
                                       Distance distance, double sigmaData) {
        this.teacher = teacher;
        this.solver = solver;
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
        INDArray xHigh = Tensors.addScaledRows(x0, z, p.tHigh());
        INDArray xLow = solver.step(teacher, xHigh, p.tHigh(), p.tLow(), labels);
        INDArray y = target.denoise(xLow, p.tLow(), labels, masks);
        return new Example(xHigh, p.tHigh(), labels, y, p.weight());
    }

    @Override
    public Distance distance() {
        return distance;
    }
}
