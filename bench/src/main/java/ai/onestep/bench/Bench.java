package ai.onestep.bench;

import ai.onestep.nd4j.FastPaths;
import ai.onestep.loss.EdmLoss;
import ai.onestep.loss.L2;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.GradientPass;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.ParamStore;
import ai.onestep.nn.UNet;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.UNetConfig;
import ai.onestep.optim.Adam;
import ai.onestep.schedule.CmAdaptiveSchedule;
import ai.onestep.schedule.UniformIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Training-step and one-step-sampling benchmarks (median after warm-up; never a timed test). */
public final class Bench {
    /**
     * The figures of one benchmark run: its timed steps ({@link StepTimes}: median, spread, and the same over the steps
     * the rest of the machine left alone), throughput, resident memory over the run ({@link ResidentTrace}: growth
     * from the end of warm-up, from the end of the first tenth of the timed steps, once array caches and glibc's free
     * lists have settled, and over the second half), and the median minor page faults per step.
     */
    public record Result(String what, int batch, StepTimes times, double gflopPerStep, long parameters,
                         ResidentTrace resident, long faultsPerStep) {
        public double medianSeconds() {
            return times.median();
        }

        public double imagesPerSecond() {
            return batch / medianSeconds();
        }

        public double gflops() {
            return gflopPerStep / medianSeconds();
        }

        /** The slowest of the last 100 steps over their median. */
        public double maxOverMedian() {
            return times.spread();
        }

        @Override
        public String toString() {
            StepTimes clean = times.clean();
            return String.format("RESULT %s batch=%d median_s=%.4f images_per_s=%.1f gflop_per_s=%.1f params=%d "
                    + "spread_max_over_median=%.2f rss_growth=%.1f%% rss_growth_late=%.1f%% "
                    + "rss_growth_second_half=%.1f%% faults_per_step=%d rss_mb=%d rss_mb_by_tenth=%s "
                    + "clean_median_s=%.4f clean_spread=%.2f clean_steps=%d/%d foreign_cores=%.2f", what,
                    batch, medianSeconds(), imagesPerSecond(), gflops(), parameters, maxOverMedian(),
                    100 * resident.growthFromWarmup(), 100 * resident.growthAfterFirstTenth(),
                    100 * resident.growthOverSecondHalf(), faultsPerStep, resident.end() >> 20, resident.megabytes(),
                    clean.median(), clean.spread(), clean.size(), times.size(), times.meanForeignCores());
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
        GradientPass pass = new GradientPass(net.sd(), List.of(BenchUNet32.LOSS), net.params().names(),
                true);
        long[] t = {0};
        return measure("train", batch, warmup, iterations,
                3 * BenchUNet32.GFLOP_PER_IMAGE_FORWARD * batch,
                params.length(), () -> {
                    Map<String, INDArray> g = pass.run(feed).gradients();
                    for (ParamStore.Spec s : net.params().specs()) {
                        ParamStore.view(grad, s).assign(g.get(s.name()));
                    }
                    FastPaths.afterStep();
                    adam.step(params, grad, ++t[0]);
                });
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
        return measure("sample", batch, warmup, iterations,
                BenchUNet32.GFLOP_PER_IMAGE_FORWARD * batch,
                params.length(), () -> {
                    net.sd().output(feed, BenchUNet32.OUT);
                    FastPaths.afterStep();
                });
    }

    /**
     * A plain training step (EDM loss: one forward + backward + Adam) and a consistency-training step (online forward +
     * backward, the target network's forward without gradient, target and EMA updates) of the same UNet — the
     * ADM UNet at bench-unet32's size (3x32x32, 64 channels, mult 1,2,2, one block per level, no attention) — on a
     * fixed batch. Returns {plain, ct}.
     */
    public static Result[] ct(int batch, int warmup, int iterations, int channels) {
        return steps(new UNetConfig(32, 3, 3, channels, List.of(1, 2, 2), 1, List.of(), 32, 0.0, false, false, 0,
                NoiseEmbedding.POSITIONAL, 8, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true), batch, warmup, iterations);
    }

    /**
     * The UNet as the consistency models configure it, at 32x32 with {@code channels} base channels: mult 1,2,2, two
     * residual blocks per level, attention at 16x16 and 8x8 with 64 channels per head, GroupNorm with 32 groups,
     * scale-shift conditioning, residual up/down-sampling.
     */
    public static UNetConfig realUnet(int channels) {
        return new UNetConfig(32, 3, 3, channels, List.of(1, 2, 2), 2, List.of(16, 8), 64, 0.0, true, true, 0,
                NoiseEmbedding.POSITIONAL, 32, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    /** The plain and the consistency-training step ({@link #ct}) of {@link #realUnet}. Returns {plain, ct}. */
    public static Result[] unet(int batch, int warmup, int iterations, int channels) {
        return steps(realUnet(channels), batch, warmup, iterations);
    }

    private static Result[] steps(UNetConfig net, int batch, int warmup, int iterations) {
        INDArray x = Tensors.gaussian(Rng.of(0), DataType.FLOAT, batch, 3, 32, 32);
        Method edm = new Method.Edm(EdmLoss.standard());
        Method ct = new Method.ConsistencyTraining(new CmAdaptiveSchedule(2, 150, 0.95, 100_000), new UniformIndex(),
                Weighting.UNIFORM, new L2());
        Result[] out = new Result[2];
        Method[] methods = {edm, ct};
        String[] names = {"plain-step", "ct-step"};
        for (int m = 0; m < 2; m++) {
            TrainerConfig cfg = new TrainerConfig(methods[m], TrainerConfig.OptimizerKind.ADAM, 2e-4, 0,
                    List.of(0.9999), 1, DataType.FLOAT);
            try (Trainer trainer = new Trainer(cfg, new UNet(net), null, null)) {
                out[m] = measure(names[m], batch, warmup, iterations, Double.NaN, trainer.params().length(),
                        () -> trainer.step(x, null));
            }
        }
        return out;
    }


    static Result measure(String what, int batch, int warmup, int iterations, double gflopPerStep, long params,
                          Runnable step) {
        List<Double> times = new ArrayList<>();
        List<Double> foreign = new ArrayList<>();
        List<Long> faults = new ArrayList<>();
        List<Long> resident = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            // every reading but the last falls before some step; with under ten timed steps several share one
            while (resident.size() < ResidentTrace.READINGS - 1
                    && ResidentTrace.readingBefore(resident.size(), warmup, iterations) == i) {
                resident.add(ProcessStats.now().residentBytes());
            }
            ProcessStats before = ProcessStats.now();
            CpuSnapshot cpu = CpuSnapshot.now();
            long t0 = System.nanoTime();
            step.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) {
                times.add(seconds);
                foreign.add(CpuSnapshot.now().foreignCoresSince(cpu, seconds));
                faults.add(ProcessStats.now().minorFaults() - before.minorFaults());
            }
        }
        resident.add(ProcessStats.now().residentBytes());
        List<Long> sortedFaults = new ArrayList<>(faults);
        Collections.sort(sortedFaults);
        return new Result(what, batch, new StepTimes(times, foreign), gflopPerStep, params,
                new ResidentTrace(resident), sortedFaults.get(sortedFaults.size() / 2));
    }
}
