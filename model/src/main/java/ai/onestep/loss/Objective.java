package ai.onestep.loss;

import ai.onestep.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** A training objective: turns clean data into the (input, sigma, target, weight) of one training step. */
public interface Objective {
    /**
     * @param x0     clean data [N, ...] in [-1, 1]
     * @param labels class labels or null
     * @param k      global training step (drives the schedules)
     * @param rng    this step's random stream (noise, noise indices)
     * @param masks  the dropout masks of this step, shared by online and target passes
     */
    Example prepare(INDArray x0, int[] labels, long k, Rng rng, Map<String, INDArray> masks);

    /** The distance the online output is compared with its target by. */
    Distance distance();
}
