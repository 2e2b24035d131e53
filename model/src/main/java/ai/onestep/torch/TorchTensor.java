package ai.onestep.torch;

import java.util.Arrays;

/**
 * A tensor of a PyTorch state dict, as float32 in row-major order whatever its stored type.
 *
 * @param shape  sizes, outermost first ([] for a scalar)
 * @param values shape's product of values
 */
public record TorchTensor(long[] shape, float[] values) {
    public TorchTensor {
        shape = shape.clone();
        if (values.length != count(shape)) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " has "
                    + count(shape) + " values, not " + values.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
