package ai.onestep.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff op whose computation is Java code rather than a libnd4j kernel. {@link JavaOps} routes ND4J's execution
 * of such an op here; its output arrays are allocated by SameDiff from the op's own shape function.
 */
public interface JavaOp {
    /** Computes the outputs from the inputs; the arrays are the op's, in argument order. */
    void compute(INDArray[] inputs, INDArray[] outputs);
}
