package ai.onestep.edit;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an editing task keeps from its input: after each denoising step the estimate x0 is replaced by the closest
 * image (in L2) that agrees with the input on what is known — Song et al. 2023, Section 6 and Appendix D ("zero-shot
 * image editing"): x0 <- A^-1 (Omega * A y + (1 - Omega) * A x0) for an orthogonal A.
 */
public interface Projection {
    /** @param x0 denoised estimates [N, C, H, W]; returns a new array */
    INDArray project(INDArray x0);

    /** No constraint (denoising, stroke-guided editing, plain multistep sampling). */
    Projection NONE = x0 -> x0.dup();
}
