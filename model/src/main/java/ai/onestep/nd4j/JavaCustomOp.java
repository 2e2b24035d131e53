package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JavaOp} as a SameDiff custom op: a name and hash of its own ({@link OpId}), never looked up in libnd4j
 * (see {@link JavaOps}); its state only in integer and floating-point arguments, which survive SameDiff's serialised copy of
 * a graph; by default one output shaped and typed as the first input.
 */
public abstract class JavaCustomOp extends DynamicCustomOp implements JavaOp {
    /** For ND4J's reflection (through the subclasses' public no-argument constructors). */
    protected JavaCustomOp() {
    }

    protected JavaCustomOp(SameDiff sd, SDVariable[] args) {
        super(null, sd, args);
    }

    /** From the class's {@link OpId} (ND4J's constructor asks for the name before any field is set). */
    private static final ClassValue<OpId> IDS = new ClassValue<>() {
        @Override
        protected OpId computeValue(Class<?> type) {
            OpId id = type.getAnnotation(OpId.class);
            if (id == null) {
                throw new IllegalStateException(type.getName() + " has no @OpId");
            }
            return id;
        }
    };

    @Override
    public final String opName() {
        return IDS.get(getClass()).name();
    }

    /** Added to the executioner's table of custom ops by {@link JavaOps}. */
    @Override
    public final long opHash() {
        return IDS.get(getClass()).hash();
    }

    /** Nothing beyond the arguments; libnd4j has no descriptor of this op to map properties from. */
    @Override
    public Map<String, Object> propertiesForFunction() {
        return new HashMap<>();
    }

    @Override
    public void setPropertiesForFunction(Map<String, Object> properties) {
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape() {
        return outputShapes(inputArguments());
    }

    @Override
    public List<LongShapeDescriptor> calculateOutputShape(OpContext context) {
        return outputShapes(context.getInputArrays());
    }

    /** The outputs' shapes and types for these inputs: by default the first input's. */
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        return List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType()));
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
        return List.of(inputTypes.get(0));
    }
}
