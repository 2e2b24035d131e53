package ai.onestep.generate;

import ai.onestep.nn.Network;
import ai.onestep.precond.Denoiser;
import ai.onestep.sampler.EdmSampler;
import ai.onestep.schedule.Karras;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Samples a denoiser as a {@link SampleSpec} says, batch by batch; batch b's noise comes from Rng.derive(seed, b's first index). */
public final class Sampling {
    /** Samples (N, C, H, W) or (N, D) in [-1, 1]-ish model space, their labels (null when unconditional), and the seconds. */
    public record Result(INDArray samples, int[] labels, double seconds) {
    }

    private Sampling() {
    }

    public static Result run(Denoiser d, Network net, SampleSpec spec) {
        return run(d, net, spec, 0);
    }

    /**
     * Images first .. first + num - 1 of the stream {@code spec.seed()} defines: batch-aligned slices of one stream
     * (first a multiple of the batch) give exactly the images one call for all of them gives.
     */
    public static Result run(Denoiser d, Network net, SampleSpec spec, long first) {
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
            Rng rng = Rng.derive(spec.seed(), first + from);
            INDArray noise = Tensors.gaussian(rng, DataType.FLOAT, shape);
            int[] l = null;
            if (labels != null) {
                l = new int[n];
                for (int i = 0; i < n; i++) {
                    l[i] = spec.label() != null ? spec.label() : (int) ((first + from + i) % net.numClasses());
                    labels[from + i] = l[i];
                }
            }
            parts.add(spec.heun() ? EdmSampler.heun().sample(d, noise, Karras.standard().sigmas(spec.steps()), l, rng)
                    : spec.consistencySampler().sample(d, noise, l, rng));
        }
        INDArray x = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
        return new Result(x, labels, (System.nanoTime() - t0) / 1e9);
    }
}
