package ai.onestep.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One prepared minibatch: every objective reduces to loss = mean_i w_i d(D_theta(xIn_i, sigma_i), target_i).
 *
 * @param xIn    the noisy input of the online network
 * @param sigma  its noise level per sample
 * @param labels class labels or null
 * @param target what the online output is pulled towards (no gradient flows into it)
 * @param weight lambda per sample
 */
public record Example(INDArray xIn, double[] sigma, int[] labels, INDArray target, double[] weight) {
}
