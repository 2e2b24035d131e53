package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GroupNorm with an optional per-sample bias before it, its affine, an optional per-sample scale-shift and an optional
 * SiLU, fused into one op computed by
 * {@link GroupNormKernel} for float NCHW activations, with its backward pass as a second fused op
 * ({@link GroupNormBpOp}). In ND4J ops the same function takes six passes over the activations for the norm, two for
 * the scale-shift and one for SiLU (plus reshape copies and about fifteen passes backward); here it takes two
 * (three backward).
 * <p>Inputs: x [N, C, H, W], gamma [C], beta [C], with scale-shift also scale [N, C] and shift [N, C], and with a
 * bias last the bias [N, C] (their count tells which are there).
 */
@OpId(name = "onestep_group_norm", hash = 0x0E57_5110_0000_0002L)
public final class GroupNormOp extends JavaCustomOp {
    /** For ND4J's reflection. */
    public GroupNormOp() {
    }

    private GroupNormOp(SameDiff sd, SDVariable[] args, int groups, double eps, boolean silu) {
        super(sd, args);
        // as integer and floating-point arguments, which survive SameDiff's copy of the graph for its backward pass
        addIArgument(groups, silu ? 1 : 0);
        addTArgument(eps);
    }

    /**
     * act(GroupNorm(x + bias) (1 + scale) + shift) with act SiLU or the identity; scale and shift both null or both
     * [N, C]; bias null or [N, C], broadcast over the plane. Requires {@link JavaOps#enabled()}.
     */
    static SDVariable apply(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, SDVariable scale,
                                   SDVariable shift, SDVariable bias, int groups, double eps, boolean silu) {
        if (!JavaOps.enabled()) {
            throw new IllegalStateException("Java kernels are not enabled (see JavaOps)");
        }
        if ((scale == null) != (shift == null)) {
            throw new IllegalArgumentException("scale and shift come together");
        }
        List<SDVariable> args = new ArrayList<>(List.of(x, gamma, beta));
        if (scale != null) {
            args.addAll(List.of(scale, shift));
        }
        if (bias != null) {
            args.add(bias);
        }
        return new GroupNormOp(sd, args.toArray(new SDVariable[0]), groups, eps, silu).outputVariable();
    }

    @Override
    public void compute(INDArray[] inputs, INDArray[] outputs) {
        INDArray x = inputs[0];
        INDArray y = outputs[0];
        int groups = groups(this);
        if (x.rank() != 4 || x.dataType() != DataType.FLOAT || x.size(1) % groups != 0
                || !Arrays.equals(x.shape(), y.shape()) || y.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("group norm: float [N, C, H, W] with C a multiple of " + groups
                    + " expected, got " + x.shapeInfoToString() + " -> " + y.shapeInfoToString());
        }
        GroupNormKernel.Affine affine = affine(inputs, inputs.length);
        JavaOps.withDense(x, y, (in, out) -> GroupNormKernel.apply(in, affine, groups, eps(this), silu(this), out));
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        SDVariable[] in = args();
        SDVariable[] withGrad = Arrays.copyOf(in, in.length + 1);
        withGrad[in.length] = grads.get(0);
        return Arrays.asList(new GroupNormBpOp(sameDiff, withGrad, groups(this), eps(this), silu(this))
                .outputVariables());
    }

    static int groups(DynamicCustomOp op) {
        return op.getIArgument(0).intValue();
    }

    static boolean silu(DynamicCustomOp op) {
        return op.getIArgument(1) != 0;
    }

    static double eps(DynamicCustomOp op) {
        return op.getTArgument(0);
    }

    /** The parameters among the first {@code count} inputs (x, gamma, beta, [scale, shift], [bias]). */
    static GroupNormKernel.Affine affine(INDArray[] inputs, int count) {
        boolean scaleShift = count >= 5;
        boolean bias = count % 2 == 0;
        return new GroupNormKernel.Affine(values(inputs[1]), values(inputs[2]),
                scaleShift ? values(inputs[3]) : null, scaleShift ? values(inputs[4]) : null,
                bias ? values(inputs[count - 1]) : null);
    }

    /** An array's elements in row-major order. */
    static float[] values(INDArray a) {
        return a.reshape(a.length()).toFloatVector();
    }
}
