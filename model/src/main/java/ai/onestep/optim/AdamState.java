package ai.onestep.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The moment estimates shared by Adam and RAdam, stored as one vector [m; v] of length 2P, and the in-place
 * arithmetic both use (no per-step allocation beyond one scratch vector).
 */
final class AdamState {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private INDArray state;
    private INDArray m;
    private INDArray v;
    private final INDArray scratch;

    AdamState(long size, org.nd4j.linalg.api.buffer.DataType dtype, double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.scratch = Nd4j.create(dtype, size);
        set(Nd4j.zeros(dtype, 2 * size));
    }

    void set(INDArray s) {
        if (scratch != null && s.length() != 2 * scratch.length()) {
            throw new IllegalArgumentException("optimizer state has " + s.length() + " values, expected "
                    + 2 * scratch.length());
        }
        state = s;
        long p = s.length() / 2;
        m = s.get(NDArrayIndex.interval(0, p));
        v = s.get(NDArrayIndex.interval(p, 2 * p));
    }

    INDArray state() {
        return state;
    }

    /** m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2 (Kingma & Ba 2015, Algorithm 1). */
    void accumulate(INDArray g) {
        m.muli(beta1).addi(scratch.assign(g).muli(1 - beta1));
        v.muli(beta2).addi(scratch.assign(g).muli(g).muli(1 - beta2));
    }

    /** params -= stepSize * m / (sqrt(v / (1 - b2^t)) + eps). */
    void applyAdaptive(INDArray params, double stepSize, long t) {
        Transforms.sqrt(scratch.assign(v), false).muli(1.0 / Math.sqrt(1 - Math.pow(beta2, t))).addi(eps);
        params.subi(scratch.rdivi(m).muli(stepSize));
    }

    /** params -= stepSize * m (the un-adapted update RAdam uses while the variance is intractable). */
    void applyMomentum(INDArray params, double stepSize) {
        params.subi(scratch.assign(m).muli(stepSize));
    }

    double beta1() {
        return beta1;
    }

    double beta2() {
        return beta2;
    }
}
