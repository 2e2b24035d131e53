package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.List;

/**
 * 2x2 average pooling and nearest-neighbour 2x upsampling of float [N, C, H, W] activations, computed by
 * {@link Resample2xKernel}: libnd4j's pooling (oneDNN's plain-layout {@code simple_nchw} kernel) and upsampling took
 * far longer than one pass over a few megabytes each should (docs/decisions.md). The op is its own backward pass: down and up with the
 * same factor are each other's transpose.
 */
@OpId(name = "onestep_resample2x", hash = 0x0E57_5110_0000_0004L)
public final class Resample2xOp extends JavaCustomOp {
    /** For ND4J's reflection. */
    public Resample2xOp() {
    }

    private Resample2xOp(SameDiff sd, SDVariable x, boolean up, double factor) {
        super(sd, new SDVariable[]{x});
        addIArgument(up ? 1 : 0);
        addTArgument(factor);
    }

    /** 2x2 average pooling, stride 2 (H and W even). Requires {@link JavaOps#enabled()}. */
    static SDVariable avgPool(SameDiff sd, SDVariable x) {
        return create(sd, x, false, 0.25);
    }

    /** Nearest-neighbour 2x upsampling. Requires {@link JavaOps#enabled()}. */
    static SDVariable upsample(SameDiff sd, SDVariable x) {
        return create(sd, x, true, 1.0);
    }

    private static SDVariable create(SameDiff sd, SDVariable x, boolean up, double factor) {
        if (!JavaOps.enabled()) {
            throw new IllegalStateException("Java kernels are not enabled (see JavaOps)");
        }
        return new Resample2xOp(sd, x, up, factor).outputVariable();
    }

    private boolean up() {
        return getIArgument(0) != 0;
    }

    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        long[] s = x.shape().clone();
        if (s.length == 4) {
            s[2] = up() ? 2 * s[2] : s[2] / 2;
            s[3] = up() ? 2 * s[3] : s[3] / 2;
        }
        return List.of(LongShapeDescriptor.fromShape(s, x.dataType()));
    }

    @Override
    public void compute(INDArray[] inputs, INDArray[] outputs) {
        INDArray x = inputs[0];
        INDArray y = outputs[0];
        boolean up = up();
        if (x.rank() != 4 || x.dataType() != DataType.FLOAT || y.dataType() != DataType.FLOAT
                || (!up && (x.size(2) % 2 != 0 || x.size(3) % 2 != 0))
                || !java.util.Arrays.equals(y.shape(), outputShapes(List.of(x)).get(0).getShape())
                || x.length() > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException((up ? "upsample 2x: float [N, C, H, W]"
                    : "average pool 2x2: float [N, C, H, W] with even H and W") + " expected, got "
                    + x.shapeInfoToString() + " -> " + y.shapeInfoToString());
        }
        float factor = getTArgument(0).floatValue();
        JavaOps.withDense(x, y, (in, out) -> Resample2xKernel.apply(up, factor, in, out));
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        return List.of(new Resample2xOp(sameDiff, grads.get(0), !up(), getTArgument(0)).outputVariable());
    }
}
