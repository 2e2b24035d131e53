package ai.onestep.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small per-sample tensor helpers (row i of a batch scaled by s_i, seeded Gaussian noise). */
public final class Tensors {
    private Tensors() {
    }

    /** Standard normal noise of the given shape, drawn from {@code rng}. */
    public static INDArray gaussian(Rng rng, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Nd4j.createFromArray(rng.gaussian(Math.toIntExact(n))).castTo(dtype).reshape('c', shape);
    }

    public static INDArray column(double[] values, DataType dtype) {
        return Nd4j.createFromArray(values).castTo(dtype).reshape(values.length, 1);
    }

    /** x_i * s_i for each sample i (new array). */
    public static INDArray scaleRows(INDArray x, double[] s) {
        INDArray flat = x.reshape('c', x.size(0), -1);
        return flat.mulColumnVector(column(s, x.dataType())).reshape('c', x.shape());
    }

    /** a_i + s_i * b_i for each sample i (new array). */
    public static INDArray addScaledRows(INDArray a, INDArray b, double[] s) {
        return a.add(scaleRows(b, s));
    }

    public static double[] fill(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
