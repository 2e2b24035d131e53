package ai.onestep.loss;

import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The EDM training loss (Karras et al. 2022, eq. 2 and Table 1): ln sigma ~ N(P_mean, P_std^2),
 * lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2, target = clean data, L2 distance.
 */
public record EdmLoss(double pMean, double pStd, double sigmaData) implements Objective {
    public static EdmLoss standard() {
        return new EdmLoss(-1.2, 1.2, 0.5);
    }

    @Override
    public Example prepare(INDArray x0, int[] labels, long k, Rng rng, Map<String, INDArray> masks) {
        int n = (int) x0.size(0);
        double[] sigma = new double[n];
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.exp(pMean + pStd * rng.gaussian());
            weight[i] = (sigma[i] * sigma[i] + sigmaData * sigmaData) / Math.pow(sigma[i] * sigmaData, 2);
        }
        INDArray noise = Tensors.gaussian(rng, x0.dataType(), x0.shape());
        return new Example(Tensors.addScaledRows(x0, noise, sigma), sigma, labels, x0, weight);
    }

    @Override
    public Distance distance() {
        return new L2();
    }
}
