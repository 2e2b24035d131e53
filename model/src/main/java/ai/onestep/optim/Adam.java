package ai.onestep.optim;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Adam (Kingma & Ba 2015, Algorithm 1), PyTorch's form: p -= lr/(1-b1^t) m / (sqrt(v/(1-b2^t)) + eps). */
public final class Adam implements Optimizer {
    private final double lr;
    private final AdamState s;

    public Adam(long size, DataType dtype, double lr, double beta1, double beta2, double eps) {
        this.lr = Check.positive("lr", lr);
        Check.inHalfOpen("beta1", beta1, 0, 1);
        Check.inHalfOpen("beta2", beta2, 0, 1);
        this.s = new AdamState(size, dtype, beta1, beta2, Check.positive("eps", eps));
    }

    public Adam(long size, DataType dtype, double lr) {
        this(size, dtype, lr, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(INDArray params, INDArray grad, long t) {
        s.accumulate(grad);
        s.applyAdaptive(params, lr / (1 - Math.pow(s.beta1(), t)), t);
    }

    @Override
    public INDArray state() {
        return s.state();
    }

    @Override
    public void setState(INDArray state) {
        s.set(state);
    }

    @Override
    public double learningRate() {
        return lr;
    }
}
