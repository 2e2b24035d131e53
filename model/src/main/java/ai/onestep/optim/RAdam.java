package ai.onestep.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rectified Adam (Liu et al. 2020, Algorithm 2), the optimizer of the Consistency Models runs:
 * rho_inf = 2/(1-b2) - 1, rho_t = rho_inf - 2 t b2^t / (1 - b2^t); when rho_t > 5 the adaptive step is scaled by
 * r_t = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t)), otherwise plain momentum is applied.
 */
public final class RAdam extends AdamFamily {
    public RAdam(long size, DataType dtype, LearningRate lr, double beta1, double beta2, double eps) {
        super(size, dtype, lr, beta1, beta2, eps);
    }

    public RAdam(long size, DataType dtype, double lr) {
        this(size, dtype, LearningRate.constant(lr), 0.9, 0.999, 1e-8);
    }

    public RAdam(long size, DataType dtype, LearningRate lr) {
        this(size, dtype, lr, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(INDArray params, INDArray grad, long t) {
        s.accumulate(grad);
        double b2 = s.beta2();
        double bias1 = 1 - Math.pow(s.beta1(), t);
        double rhoInf = 2 / (1 - b2) - 1;
        double b2t = Math.pow(b2, t);
        double rhoT = rhoInf - 2 * t * b2t / (1 - b2t);
        if (rhoT > 5) {
            double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            s.applyAdaptive(params, lr.at(t) * r / bias1, t);
        } else {
            s.applyMomentum(params, lr.at(t) / bias1);
        }
    }
}
