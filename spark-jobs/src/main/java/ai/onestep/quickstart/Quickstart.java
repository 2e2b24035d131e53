package ai.onestep.quickstart;

import ai.onestep.conf.TrainConfig;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.distributed.DistributedTrainer;
import ai.onestep.distributed.RoundMetrics;
import ai.onestep.distributed.TrainingListener;
import ai.onestep.eval.DigitScorer;
import ai.onestep.files.AtomicWrite;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.schedule.Karras;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * MNIST to a trained consistency model in a bounded time: shards (once), a step count this machine can train in the
 * budget (measured, then kept in {@code quickstart.conf} for re-runs), training, then one-step and two-step samples,
 * the loss curve and a quality score from a classifier trained on the real digits. Re-running reuses the shards and
 * continues (or just re-samples) the run.
 *
 * @param idx     folder with MNIST's IDX files
 * @param preset  the preset trained (its data path and step count are set here)
 * @param out     output folder: mnist28/ (shards), run/, quickstart.conf, samples.png, loss.png, quality.txt
 * @param minutes the training budget
 */
public record Quickstart(Path idx, Path preset, Path out, double minutes) {
    public Quickstart {
        java.util.Objects.requireNonNull(idx, "idx");
        requireMinutes(minutes);
    }

    /** The budget's bounds, checked before anything is fetched. */
    public static void requireMinutes(double minutes) {
        if (!(minutes > 0 && minutes <= 24 * 60)) {
            throw new IllegalArgumentException("--minutes must be in (0, 1440] (got " + minutes + ")");
        }
    }

    /** Runs on {@code sc}; {@code progress} gets one line at a time. */
    public void run(JavaSparkContext sc, Consumer<String> progress) throws IOException {
        Files.createDirectories(out);
        Path shards = out.resolve("mnist28");
        Path run = out.resolve("run");
        if (!Files.exists(shards.resolve("_manifest.json"))) {
            progress.accept("preparing shards from " + idx);
            PrepJob.run(sc, PrepJob.plan(PrepConfig.of(new IdxSource(idx.toString(), "train"),
                    shards.toString(), 28).withOverwrite(true), sc.hadoopConfiguration()));
        }
        TrainConfig cfg = config(shards, progress);
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        try (DistributedTrainer t = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(run.toString()))) {
            t.startNotes().forEach(progress);
            if (t.step() >= cfg.run().steps()) {
                progress.accept(run + " is already trained (" + t.step() + " steps); re-sampling");
            } else {
                if (t.step() > 0) {
                    progress.accept("continuing " + run + " at step " + t.step());
                }
                t.addListener(new TrainingListener() {
                    @Override
                    public void onRound(RoundMetrics m) {
                        if (m.round() % cfg.run().logEvery() == 0) {
                            progress.accept(m.progressLine());
                        }
                        if (System.nanoTime() > deadline) {
                            t.stop();
                        }
                    }
                });
                t.run();
            }
            report(cfg, t, shards, progress);
        }
    }

    /** The preset with this machine's data and a step count that fits the time budget (kept for re-runs). */
    private TrainConfig config(Path shards, Consumer<String> progress) throws IOException {
        Path saved = out.resolve("quickstart.conf");
        if (Files.exists(saved)) {
            return TrainConfig.load(saved, List.of());
        }
        TrainConfig probe = TrainConfig.load(preset, List.of("data.path=" + shards));
        double stepsPerSecond = StepProbe.stepsPerSecond(probe);
        // rounds also pay broadcast + aggregate (a sizeable share of a short MLP round)
        long steps = Math.max(200, (long) (minutes * 60 * stepsPerSecond * 0.75));
        progress.accept(String.format(java.util.Locale.ROOT, "%.1f steps/s measured here; training %d steps (%s)",
                stepsPerSecond, steps, probe.network().describe()));
        TrainConfig cfg = TrainConfig.load(preset, List.of("data.path=" + shards, "run.steps=" + steps));
        AtomicWrite.write(saved.toString(), cfg.pretty().getBytes(StandardCharsets.UTF_8), new Configuration());
        return cfg;
    }

    private void report(TrainConfig cfg, DistributedTrainer t, Path shards, Consumer<String> progress)
            throws IOException {
        Double rate = cfg.emaRates().isEmpty() ? null : cfg.emaRates().get(0);
        ai.onestep.precond.Denoiser d = t.trainer().denoiser(rate).clamped(); // as the original samples images
        long[] shape = {1000, 1, 28, 28};
        INDArray noise = Tensors.gaussian(Rng.of(2026), DataType.FLOAT, shape);
        int classes = cfg.network().numClasses();
        int[] labels = classes > 0 ? java.util.stream.IntStream.range(0, 1000).map(i -> i % classes).toArray() : null;
        INDArray one = ConsistencySampler.oneStep(80, 0.002).sample(d, noise, labels, Rng.of(1));
        INDArray two = ConsistencySampler.fromGrid(Karras.standard().sigmas(40), new int[]{0, 22, 39}, 0.002)
                .sample(d, noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)).dup(),
                        labels == null ? null : java.util.Arrays.copyOf(labels, 64), Rng.of(2));
        List<ai.onestep.image.Pixels> grid = new ArrayList<>(TensorImages.toPixels(one.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)).dup()));
        grid.addAll(TensorImages.toPixels(two));
        Path png = out.resolve("samples.png");
        AtomicWrite.write(png.toString(), Png.encode(Png.grid(grid, 16, 2)), new Configuration());
        Files.copy(out.resolve("run/loss.png"), out.resolve("loss.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // quality: a classifier trained here on real MNIST labels 1,000 one-step samples (the test split is unused)
        Batch real = ShardImages.read(shards.toString(), 20000, new Configuration());
        INDArray realX = Nd4j.createFromArray(real.x()).reshape(real.shape());
        DigitScorer scorer = DigitScorer.train(realX, real.labels(), 10, 256, 3, Rng.of(7));
        INDArray probs = scorer.probabilities(TensorImages.quantize(one)); // as the 8-bit images in samples.png
        DigitScorer.Score s = DigitScorer.scoreProbabilities(probs);
        DigitScorer.Score onReal = scorer.score(realX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                Math.min(2000, realX.size(0)))));
        String quality = String.format(java.util.Locale.ROOT, "one-step samples: %s%nreal training digits (reference): "
                + "%s%ntraining: %d steps; EMA %s%n", s, onReal, t.step(), rate)
                + (labels == null ? "" : String.format(java.util.Locale.ROOT, "class-conditional: %.1f%% of the "
                + "samples are confidently the class they were asked for (classes in turn, 0-%d)%n",
                100 * DigitScorer.confidentAs(probs, labels), classes - 1));
        AtomicWrite.write(out.resolve("quality.txt").toString(), quality.getBytes(StandardCharsets.UTF_8), new Configuration());
        quality.lines().forEach(progress);
        progress.accept("samples   " + png.toAbsolutePath() + " (4 rows one-step, 4 rows two-step)");
        progress.accept("loss      " + out.resolve("loss.png").toAbsolutePath());
        progress.accept("checkpoint " + out.resolve("run/checkpoints").toAbsolutePath());
    }
}
