package ai.onestep.kernel;

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
        boolean scaleShift = last > 3;
        INDArray dx = JavaOps.dense(outputs[0]) ? outputs[0]
                : org.nd4j.linalg.factory.Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        float[] dgamma = new float[channels];
        float[] dbeta = new float[channels];
        float[] dscale = scaleShift ? new float[n * channels] : null;
        float[] dshift = scaleShift ? new float[n * channels] : null;
        GroupNormKernel.backward(JavaOps.dense(x) ? x : x.dup('c'), GroupNormOp.values(inputs[1]),
                GroupNormOp.values(inputs[2]), scaleShift ? GroupNormOp.values(inputs[3]) : null,
                scaleShift ? GroupNormOp.values(inputs[4]) : null, groups, GroupNormOp.eps(this),
                GroupNormOp.silu(this), JavaOps.dense(gy) ? gy : gy.dup('c'), dx, dgamma, dbeta, dscale, dshift);
        if (dx != outputs[0]) {
            outputs[0].assign(dx);
        }
        outputs[1].assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dgamma).reshape(outputs[1].shape()));
        outputs[2].assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dbeta).reshape(outputs[2].shape()));
        if (scaleShift) {
            outputs[3].assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dscale).reshape(outputs[3].shape()));
            outputs[4].assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dshift).reshape(outputs[4].shape()));
        }
    }
}
