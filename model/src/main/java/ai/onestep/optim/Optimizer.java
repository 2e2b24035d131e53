package ai.onestep.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimizer over one flat parameter vector. Its state is one flat vector too, so workers' states can
 * be averaged and checkpointed like parameters.
 */
public interface Optimizer {
    /** Updates params in place from grad; t is the 1-based step count (bias correction). grad may be overwritten. */
    void step(INDArray params, INDArray grad, long t);

    /** The state vector (live view; length stateSize()). */
    INDArray state();

    /** Replaces the state (e.g. averaged across workers or read from a checkpoint). */
    void setState(INDArray state);

    /** The base learning rate. */
    double learningRate();

    /** The learning rate used at the 1-based step t. */
    double learningRate(long t);
}
