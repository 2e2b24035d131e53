package ai.onestep.generate;

import ai.onestep.nn.Network;
import ai.onestep.precond.Denoiser;
import ai.onestep.sampler.EdmSampler;
import ai.onestep.sampler.SamplerNoise;
import ai.onestep.schedule.Karras;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Samples a denoiser as a {@link SampleSpec} says, batch by batch. Image i's draws come from its own stream
 * ({@link SamplerNoise#perImage}), so it depends only on the seed and i, or from recorded draws.
 */
public final class Sampling {
    /** Samples (N, C, H, W) or (N, D) in [-1, 1]-ish model space, their labels (null when unconditional), and the seconds. */
    public record Result(INDArray samples, int[] labels, double seconds) {
    }

    private Sampling() {
    }

    public static Result run(Denoiser d, Network net, SampleSpec spec) {
        return run(d, net, spec, 0);
    }

    /** Images first .. first + num - 1 of the seed's images: any slicing gives the images one call for all gives. */
    public static Result run(Denoiser d, Network net, SampleSpec spec, long first) {
        return run(d, net, spec, first, from -> SamplerNoise.perImage(spec.seed(), from));
    }

    /**
     * The same with the draws of the images from {@code first} on given by {@code noise} (recorded draws, for
     * example {@code SamplerNoise.recorded(draws, first)}).
     */
    public static Result run(Denoiser d, Network net, SampleSpec spec, long first, LongFunction<SamplerNoise> noise) {
        Denoiser f = spec.clamp() ? d.clamped() : d;
        Labels.check(net, spec.label());
        long t0 = System.nanoTime();
        List<INDArray> parts = new ArrayList<>();
        int num = spec.num();
        int[] labels = net.numClasses() > 0 ? new int[num] : null;
        for (int from = 0; from < num; from += spec.batch()) {
            int n = Math.min(spec.batch(), num - from);
            long[] shape = new long[net.sampleShape().length + 1];
            shape[0] = n;
            System.arraycopy(net.sampleShape(), 0, shape, 1, net.sampleShape().length);
            SamplerNoise draws = noise.apply(first + from);
            int[] l = null;
            if (labels != null) {
                l = new int[n];
                for (int i = 0; i < n; i++) {
                    l[i] = spec.label() != null ? spec.label() : (int) ((first + from + i) % net.numClasses());
                    labels[from + i] = l[i];
                }
            }
            parts.add(spec.heun() ? EdmSampler.heun().sample(f, draws, shape, Karras.standard().sigmas(spec.steps()), l)
                    : spec.consistencySampler().sample(f, draws, shape, l));
        }
        INDArray x = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
        return new Result(x, labels, (System.nanoTime() - t0) / 1e9);
    }
}
