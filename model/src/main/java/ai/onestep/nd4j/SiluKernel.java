package ai.onestep.nd4j;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.stream.IntStream;

/**
 * SiLU over an array's memory, y = x / (1 + exp(-x)). Float arrays go through the Vector API in lanes of the
 * machine's widest vectors with {@link VectorMath#exp} (within a few ulp of the exact SiLU; {@code SiluKernelTest}
 * bounds it), in slices of 64K elements spread over the common fork-join pool; double arrays (gradient and reference
 * tests) element by element with {@link Math#exp}. Below x = -88, exp(-x) is +Inf and y is -0, as with libnd4j's
 * float sigmoid.
 */
final class SiluKernel {
    private static final int SLICE = 1 << 16;
    /** Elements per byte-buffer window (a ByteBuffer is indexed by int: 2^27 doubles are 1 GiB). */
    private static final long WINDOW = 1L << 27;

    private SiluKernel() {
    }

    /** y = silu(x), elementwise; y has x's shape and type. */
    static void silu(INDArray x, INDArray y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape()) || x.dataType() != y.dataType()) {
            throw new IllegalArgumentException("silu: output " + y.shapeInfoToString() + " does not match input "
                    + x.shapeInfoToString());
        }
        if (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("silu: unsupported data type " + x.dataType());
        }
        JavaOps.withDense(x, y, x.dataType() == DataType.FLOAT ? SiluKernel::floats : SiluKernel::doubles);
    }

    private static void floats(INDArray x, INDArray y) {
        long n = x.length();
        for (long w = 0; w < n; w += WINDOW) {
            long len = Math.min(WINDOW, n - w);
            ByteBuffer in = JavaOps.memory(x, w, len);
            ByteBuffer out = JavaOps.memory(y, w, len);
            int slices = (int) ((len + SLICE - 1) / SLICE);
            IntStream.range(0, slices).parallel().forEach(s ->
                    floatSlice(in, out, s * SLICE, (int) Math.min(len, (long) (s + 1) * SLICE)));
        }
    }

    /** Elements [from, to) of the window. */
    private static void floatSlice(ByteBuffer in, ByteBuffer out, int from, int to) {
        ByteOrder order = ByteOrder.nativeOrder();
        int lanes = VectorMath.LANES.length();
        int i = from;
        for (int end = from + (to - from) / lanes * lanes; i < end; i += lanes) {
            FloatVector v = FloatVector.fromByteBuffer(VectorMath.LANES, in, 4 * i, order);
            v.div(VectorMath.exp(v.neg()).add(1f)).intoByteBuffer(out, 4 * i, order);
        }
        for (; i < to; i++) {
            float v = in.getFloat(4 * i);
            out.putFloat(4 * i, v / (VectorMath.exp(-v) + 1f));
        }
    }

    private static void doubles(INDArray x, INDArray y) {
        long n = x.length();
        for (long w = 0; w < n; w += WINDOW) {
            long len = Math.min(WINDOW, n - w);
            DoubleBuffer in = JavaOps.memory(x, w, len).asDoubleBuffer();
            DoubleBuffer out = JavaOps.memory(y, w, len).asDoubleBuffer();
            for (int i = 0; i < len; i++) {
                double v = in.get(i);
                out.put(i, v / (1 + Math.exp(-v)));
            }
        }
    }
}
