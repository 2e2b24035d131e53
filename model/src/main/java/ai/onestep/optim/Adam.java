package ai.onestep.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Adam (Kingma & Ba 2015, Algorithm 1), PyTorch's form: p -= lr/(1-b1^t) m / (sqrt(v/(1-b2^t)) + eps). */
public final class Adam extends AdamFamily {
    public Adam(long size, DataType dtype, LearningRate lr, double beta1, double beta2, double eps) {
        super(size, dtype, lr, beta1, beta2, eps);
    }

    public Adam(long size, DataType dtype, double lr) {
        this(size, dtype, LearningRate.constant(lr), 0.9, 0.999, 1e-8);
    }

    public Adam(long size, DataType dtype, LearningRate lr) {
        this(size, dtype, lr, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(INDArray params, INDArray grad, long t) {
        s.accumulate(grad);
        s.applyAdaptive(params, lr.at(t) / (1 - Math.pow(s.beta1(), t)), t);
    }
}
