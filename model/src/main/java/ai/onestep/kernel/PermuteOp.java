package ai.onestep.kernel;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A permutation of a float or double array's dimensions, written out as a dense row-major copy in Java. SameDiff
 * materialises its own {@code permute} through libnd4j's generic strided copy, about 70 ns an element: 2-3 ms for each
 * 3x3 convolution kernel [128, 128, 3, 3] -> [3, 3, 128, 128] and again for its gradient, some 25 ms of a
 * bench-unet32 training step. Here the innermost loop walks the output contiguously. Its gradient is the inverse
 * permutation, the same op. Integer arguments: the permutation.
 */
@OpId(name = "onestep_permute", hash = 0x0E57_5110_0000_0004L)
public final class PermuteOp extends JavaCustomOp {
    /** For ND4J's reflection. */
    public PermuteOp() {
    }

    private PermuteOp(SameDiff sd, SDVariable x, int[] permutation) {
        super(sd, new SDVariable[]{x});
        for (int p : permutation) {
            addIArgument(p);
        }
    }

    /** x with its dimensions in the order {@code permutation}, as {@code x.permute(permutation)}. */
    public static SDVariable apply(SameDiff sd, SDVariable x, int... permutation) {
        if (!JavaOps.enabled()) {
            throw new IllegalStateException("Java kernels are not enabled (see JavaOps)");
        }
        int[] sorted = permutation.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) {
                throw new IllegalArgumentException("not a permutation: " + Arrays.toString(permutation));
            }
        }
        return new PermuteOp(sd, x, permutation).outputVariable();
    }

    private int[] permutation() {
        int[] p = new int[numIArguments()];
        for (int i = 0; i < p.length; i++) {
            p[i] = getIArgument(i).intValue();
        }
        return p;
    }

    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        return List.of(LongShapeDescriptor.fromShape(permuted(x.shape(), permutation()), x.dataType()));
    }

    @Override
    public void compute(INDArray[] inputs, INDArray[] outputs) {
        INDArray x = inputs[0];
        INDArray y = outputs[0];
        int[] p = permutation();
        if (x.rank() != p.length || !Arrays.equals(y.shape(), permuted(x.shape(), p)) || x.dataType() != y.dataType()
                || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE)) {
            throw new IllegalArgumentException("permute " + Arrays.toString(p) + ": " + x.shapeInfoToString() + " -> "
                    + y.shapeInfoToString());
        }
        INDArray out = JavaOps.dense(y) ? y : y.ulike().dup('c');
        copy(x, p, out);
        if (out != y) {
            y.assign(out);
        }
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        int[] p = permutation();
        int[] inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inverse[p[i]] = i;
        }
        return List.of(new PermuteOp(sameDiff, grads.get(0), inverse).outputVariable());
    }

    private static long[] permuted(long[] shape, int[] p) {
        long[] out = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = shape[p[i]];
        }
        return out;
    }

    /** out (dense) = x.permute(p), walking out in row-major order and x by its strides. */
    private static void copy(INDArray x, int[] p, INDArray out) {
        int rank = p.length;
        if (rank == 0 || out.length() == 0) {
            out.assign(x);
            return;
        }
        long[] shape = out.shape();
        long[] stride = new long[rank]; // x's stride along each output dimension
        long extent = 1;
        for (int d = 0; d < rank; d++) {
            stride[d] = x.stride(p[d]);
            if (stride[d] < 0) {
                throw new IllegalArgumentException("permute: negative strides " + x.shapeInfoToString());
            }
            extent += (shape[d] - 1) * stride[d];
        }
        boolean floats = x.dataType() == DataType.FLOAT;
        if (extent * (floats ? 4 : 8) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("permute: more than 2^31 bytes " + x.shapeInfoToString());
        }
        ByteBuffer in = JavaOps.memory(x, 0, extent);
        ByteBuffer to = JavaOps.memory(out, 0, out.length());
        int size = floats ? 4 : 8;
        long[] index = new long[rank];
        long inner = shape[rank - 1];
        long step = stride[rank - 1];
        long written = 0;
        long base = 0; // x's element offset of index[0 .. rank - 2], with index[rank - 1] = 0
        while (written < out.length()) {
            for (long j = 0; j < inner; j++) {
                int from = (int) ((base + j * step) * size);
                int at = (int) ((written + j) * size);
                if (floats) {
                    to.putFloat(at, in.getFloat(from));
                } else {
                    to.putDouble(at, in.getDouble(from));
                }
            }
            written += inner;
            for (int d = rank - 2; d >= 0; d--) { // the next row: an odometer over the outer dimensions
                base += stride[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                base -= shape[d] * stride[d];
                index[d] = 0;
            }
        }
    }
}
