package ai.onestep.bench;

import ai.onestep.optim.Adam;
import ai.onestep.util.NativeMemory;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Training-step and one-step-sampling benchmarks of bench-unet32 (median after warm-up; never a timed test). */
public final class Bench {
    /** The figures of one benchmark run. */
    public record Result(String what, int batch, double medianSeconds, double imagesPerSecond, double gflops,
                         long parameters, double maxOverMedian) {
        @Override
        public String toString() {
            return String.format("RESULT %s batch=%d median_s=%.4f images_per_s=%.1f gflop_per_s=%.1f params=%d "
                    + "spread_max_over_median=%.2f", what, batch, medianSeconds, imagesPerSecond, gflops, parameters,
                    maxOverMedian);
        }
    }

    private Bench() {
    }

    /** Forward + backward + Adam (lr 2e-4) on a fixed random batch, as the PyTorch anchor does. */
    public static Result train(int batch, int warmup, int iterations, int channels) {
        BenchUNet32 net = BenchUNet32.build(channels, true);
        Rng rng = Rng.of(0);
        INDArray params = net.params().initialise(rng);
        net.params().bind(params);
        INDArray grad = Nd4j.create(DataType.FLOAT, params.length());
        Adam adam = new Adam(params.length(), DataType.FLOAT, 2e-4);
        Map<String, INDArray> feed = Map.of(
                BenchUNet32.X, Tensors.gaussian(rng, DataType.FLOAT, batch, 3, 32, 32),
                BenchUNet32.TEMB, Tensors.gaussian(rng, DataType.FLOAT, batch, 128),
                BenchUNet32.TARGET, Tensors.gaussian(rng, DataType.FLOAT, batch, 3, 32, 32));
        List<String> names = net.params().names();
        List<Double> times = new ArrayList<>();
        NativeMemory memory = new NativeMemory();
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            OutAndGrad og = net.sd().calculateGradientsAndOutputs(feed, List.of(BenchUNet32.LOSS), names);
            for (var s : net.params().specs()) {
                ai.onestep.nn.ParamStore.view(grad, s).assign(og.getGradients().get(s.name()));
            }
            memory.afterStep();
            adam.step(params, grad, i + 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) {
                times.add(seconds);
            }
        }
        double median = median(times);
        return new Result("train", batch, median, batch / median,
                3 * BenchUNet32.GFLOP_PER_IMAGE_FORWARD * batch / median, params.length(),
                Collections.max(times) / median);
    }

    /** Forward passes only (what one-step sampling costs per image). */
    public static Result sample(int batch, int warmup, int iterations, int channels) {
        BenchUNet32 net = BenchUNet32.build(channels, false);
        Rng rng = Rng.of(0);
        INDArray params = net.params().initialise(rng);
        net.params().bind(params);
        Map<String, INDArray> feed = Map.of(
                BenchUNet32.X, Tensors.gaussian(rng, DataType.FLOAT, batch, 3, 32, 32),
                BenchUNet32.TEMB, Tensors.gaussian(rng, DataType.FLOAT, batch, 128));
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            net.sd().output(feed, BenchUNet32.OUT);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) {
                times.add(seconds);
            }
        }
        double median = median(times);
        return new Result("sample", batch, median, batch / median,
                BenchUNet32.GFLOP_PER_IMAGE_FORWARD * batch / median, params.length(),
                Collections.max(times) / median);
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
