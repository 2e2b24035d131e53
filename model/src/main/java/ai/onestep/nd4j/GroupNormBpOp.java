package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * The backward pass of {@link GroupNormOp}, computed by {@link GroupNormKernel#backward}. Inputs: the forward op's
 * inputs followed by the gradient of its output; outputs: the gradients of the forward op's inputs, in order.
 */
@OpId(name = "onestep_group_norm_bp", hash = 0x0E57_5110_0000_0003L)
public final class GroupNormBpOp extends JavaCustomOp {
    /** For ND4J's reflection. */
    public GroupNormBpOp() {
    }

    GroupNormBpOp(SameDiff sd, SDVariable[] args, int groups, double eps, boolean silu) {
        super(sd, args);
        addIArgument(groups, silu ? 1 : 0);
        addTArgument(eps);
    }

    @Override
    public int getNumOutputs() {
        return args().length - 1;
    }

    /** The gradients are shaped as the forward op's inputs (all inputs but the last). */
    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        List<LongShapeDescriptor> shapes = new ArrayList<>();
        for (INDArray in : inputs.subList(0, inputs.size() - 1)) {
            shapes.add(LongShapeDescriptor.fromShape(in.shape(), in.dataType()));
        }
        return shapes;
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
        return new ArrayList<>(inputTypes.subList(0, inputTypes.size() - 1));
    }

    @Override
    public void compute(INDArray[] inputs, INDArray[] outputs) {
        int last = inputs.length - 1;
        INDArray x = inputs[0];
        INDArray gy = inputs[last];
        int groups = GroupNormOp.groups(this);
        if (x.rank() != 4 || x.dataType() != DataType.FLOAT || x.size(1) % groups != 0
                || !java.util.Arrays.equals(x.shape(), gy.shape()) || gy.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("group norm backward: float [N, C, H, W] input and gradient expected, got "
                    + x.shapeInfoToString() + " and " + gy.shapeInfoToString());
        }
        INDArray dx = JavaOps.dense(outputs[0]) ? outputs[0]
                : org.nd4j.linalg.factory.Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        GroupNormKernel.Affine d = GroupNormKernel.backward(JavaOps.denseInput(x), GroupNormOp.affine(inputs, last),
                groups, GroupNormOp.eps(this), GroupNormOp.silu(this), JavaOps.denseInput(gy), dx);
        if (dx != outputs[0]) {
            outputs[0].assign(dx);
        }
        List<float[]> grads = d.inOrder(); // the forward op's inputs after x, in order
        for (int i = 0; i < grads.size(); i++) {
            outputs[i + 1].assign(org.nd4j.linalg.factory.Nd4j.createFromArray(grads.get(i))
                    .reshape(outputs[i + 1].shape()));
        }
    }
}
