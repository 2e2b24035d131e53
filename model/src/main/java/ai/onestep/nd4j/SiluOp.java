package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SiLU, x * sigmoid(x) = x / (1 + exp(-x)) (Elfwing et al. 2018; the ADM UNet's activation), as one fused pass in
 * Java ({@link SiluKernel}) instead of libnd4j's {@code swish}, whose exponential runs one element at a time. Forward only: it has no backward
 * pass, so only graphs that are never differentiated contain it ({@code Layers.silu}).
 */
@OpId(name = "onestep_silu", hash = 0x0E57_5110_0000_0001L)
public final class SiluOp extends JavaCustomOp {
    /** For ND4J's reflection. */
    public SiluOp() {
    }

    private SiluOp(SameDiff sd, SDVariable x) {
        super(sd, new SDVariable[]{x});
    }

    /** SiLU of x, computed by {@link SiluKernel} when the graph runs. Requires {@link JavaOps#enabled()}. */
    static SDVariable apply(SameDiff sd, SDVariable x) {
        if (!JavaOps.enabled()) {
            throw new IllegalStateException("Java kernels are not enabled (see JavaOps)");
        }
        return new SiluOp(sd, x).outputVariable();
    }

    @Override
    public void compute(INDArray[] inputs, INDArray[] outputs) {
        SiluKernel.silu(inputs[0], outputs[0]);
    }
}
