package ai.onestep.sampler;

import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * The standard-normal draws a sampler consumes, in the original's names: {@code x_T}, which the sampler scales by
 * sigma_max, then {@code z_1}, {@code z_2}, ..., the re-noising after step 1, 2, ... (or the churn of an EDM step).
 */
public interface SamplerNoise {
    /** x_T for a batch of this shape [N, ...]. */
    INDArray initial(long[] shape);

    /** z_step, step = 1, 2, ... */
    INDArray renoise(int step, long[] shape);

    /** x_T given, later draws from rng (in the order the sampler asks). */
    static SamplerNoise of(INDArray initial, Rng rng) {
        return new SamplerNoise() {
            @Override
            public INDArray initial(long[] shape) {
                return initial;
            }

            @Override
            public INDArray renoise(int step, long[] shape) {
                return Tensors.gaussian(rng, initial.dataType(), shape);
            }
        };
    }

    /**
     * Per-image streams: image {@code first + i} of the batch draws x_T and then each z_step from its own stream
     * derived from (seed, image index), so an image depends only on the seed and its index, whatever the batch.
     */
    static SamplerNoise perImage(long seed, long first) {
        return new SamplerNoise() {
            private Rng[] streams;

            @Override
            public INDArray initial(long[] shape) {
                streams = new Rng[(int) shape[0]];
                for (int i = 0; i < streams.length; i++) {
                    streams[i] = Rng.derive(seed, first + i);
                }
                return draw(shape);
            }

            @Override
            public INDArray renoise(int step, long[] shape) {
                if (streams == null || streams.length != shape[0]) {
                    throw new IllegalStateException("renoise before initial, or for another batch");
                }
                return draw(shape);
            }

            private INDArray draw(long[] shape) {
                long[] one = shape.clone();
                one[0] = 1;
                INDArray[] rows = new INDArray[streams.length];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = Tensors.gaussian(streams[i], DataType.FLOAT, one);
                }
                return rows.length == 1 ? rows[0] : Nd4j.concat(0, rows);
            }
        };
    }

    /**
     * Recorded draws by name ({@code x_T}, {@code z_1}, ...), each [num, ...], for images {@code first ..} of them; a
     * draw the sampler needs and the record lacks, or one of another shape, is refused naming it.
     */
    static SamplerNoise recorded(Map<String, INDArray> draws, long first) {
        return new SamplerNoise() {
            @Override
            public INDArray initial(long[] shape) {
                return slice("x_T", shape);
            }

            @Override
            public INDArray renoise(int step, long[] shape) {
                return slice("z_" + step, shape);
            }

            private INDArray slice(String name, long[] shape) {
                INDArray all = draws.get(name);
                if (all == null) {
                    throw new IllegalArgumentException("the noise file has no '" + name + "' (it has "
                            + new java.util.TreeSet<>(draws.keySet()) + ")");
                }
                long[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
                if (!java.util.Arrays.equals(rest, java.util.Arrays.copyOfRange(all.shape(), 1, all.rank()))
                        || all.size(0) < first + shape[0]) {
                    throw new IllegalArgumentException("the noise file's '" + name + "' is "
                            + java.util.Arrays.toString(all.shape()) + "; sampling needs images " + first + ".."
                            + (first + shape[0] - 1) + " of shape " + java.util.Arrays.toString(rest));
                }
                return all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(first, first + shape[0])).dup()
                        .castTo(DataType.FLOAT);
            }
        };
    }
}
