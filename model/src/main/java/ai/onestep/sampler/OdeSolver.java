package ai.onestep.sampler;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of the probability-flow ODE dx/dt = (x - D(x, t)) / t (Karras et al. 2022, eq. 3 with sigma(t) = t)
 * from t_cur to t_next, per sample. Used by the EDM sampler and by consistency distillation.
 */
public enum OdeSolver {
    /** First order. */
    EULER,
    /** Second order, Karras et al. 2022, Algorithm 1 (Heun's method; Euler when t_next = 0). */
    HEUN;

    public INDArray step(Denoiser d, INDArray x, double[] tCur, double[] tNext, int[] labels) {
        int n = tCur.length;
        double[] h = new double[n];
        double[] invCur = new double[n];
        boolean anyZero = false;
        for (int i = 0; i < n; i++) {
            h[i] = tNext[i] - tCur[i];
            invCur[i] = 1.0 / tCur[i];
            anyZero |= tNext[i] == 0;
        }
        INDArray slope = Tensors.scaleRows(x.sub(d.denoise(x, tCur, labels)), invCur);
        INDArray next = Tensors.addScaledRows(x, slope, h);
        if (this == EULER || anyZero) {
            return next;
        }
        double[] invNext = new double[n];
        double[] halfH = new double[n];
        for (int i = 0; i < n; i++) {
            invNext[i] = 1.0 / tNext[i];
            halfH[i] = h[i] / 2;
        }
        INDArray slope2 = Tensors.scaleRows(next.sub(d.denoise(next, tNext, labels)), invNext);
        return Tensors.addScaledRows(x, slope.addi(slope2), halfH);
    }
}
