package ai.onestep.optim;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What Adam and RAdam share: hyper-parameters (validated), moment state and its accessors. */
abstract class AdamFamily implements Optimizer {
    protected final LearningRate lr;
    protected final AdamState s;

    AdamFamily(long size, DataType dtype, LearningRate lr, double beta1, double beta2, double eps) {
        this.lr = lr;
        Check.inHalfOpen("beta1", beta1, 0, 1);
        Check.inHalfOpen("beta2", beta2, 0, 1);
        this.s = new AdamState(size, dtype, beta1, beta2, Check.positive("eps", eps));
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
        return lr.base();
    }

    @Override
    public double learningRate(long t) {
        return lr.at(t);
    }
}
