package ai.onestep.bench;

import ai.onestep.bench.Bench;
import ai.onestep.bench.StepTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code onestep bench train|sample|ct|sync|prep}: benchmark figures, optionally beside PyTorch. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks the reference network bench-unet32 (3x32x32, 64 channels, 1,306,371 params).",
                "train: median s per training step (forward + backward + Adam) at --batch (default 32).",
                "sample: one-step sampling throughput (forward only) at --batch (default 64).",
                "sample --unet imagenet64|bedroom256: one-step sampling with a published checkpoint's architecture, "
                        + "seconds per image at --batches (default 1,8); with --torch --original DIR (a checkout of "
                        + "openai/consistency_models), the original code in PyTorch first, on the same weights.",
                "ct: a consistency-training step (online + target pass, EMA) against a plain training step of the same "
                        + "UNet, at --batch (default 32).",
                "unet: the same two steps of the UNet as the consistency models configure it, at 32x32 with --channels "
                        + "(default 128 here): 2 blocks per level, attention at 16 and 8, 32 groups, scale-shift.",
                "Each prints the slowest/median step, minor page faults per step and resident memory at the end of "
                        + "warm-up and of each tenth of the timed steps, with its growth from the warm-up, from the "
                        + "first tenth (after the native allocator settles) and over the second half; use "
                        + "--iterations 300 for the memory figures.",
                "sync: seconds per round of broadcast + aggregate (2 local workers) vs one training step, per model size.",
                "prep: images/s per core converting 500x375 JPEGs to 64x64 shards, beside djpeg's decode-only speed.",
                "With --torch, runs the PyTorch anchor (shared/anchors/torch-unet-bench) in the same command and "
                        + "prints the ratio."})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "train, sample, ct, unet, prep or sync")
    String what;

    @Option(names = "--sizes", split = ",", defaultValue = "1300000,60000000,300000000",
            description = "sync: parameter counts to measure (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--images", defaultValue = "300", description = "prep: JPEGs to generate (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--batch", description = "batch size (default: 32 for train, 64 for sample)")
    Integer batch;

    @Option(names = "--iterations", defaultValue = "7", description = "timed iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up iterations (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--channels", description = "base channels (default: 64; 128 for unet)")
    Integer channels;

    @Option(names = "--torch", description = "also run the PyTorch anchor and print OneStep/PyTorch")
    boolean torch;

    @Option(names = "--anchor", description = "torch-unet-bench directory (default: $ONESTEP_ANCHOR or "
            + "../shared/anchors/torch-unet-bench next to the repository)")
    Path anchor;

    @Option(names = "--unet", description = "sample: a published architecture, imagenet64 or bedroom256")
    String unet;

    @Option(names = "--batches", split = ",", defaultValue = "1,8",
            description = "sample --unet: batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--original", description = "sample --unet --torch: a checkout of openai/consistency_models "
            + "(default: $ONESTEP_ORIGINAL)")
    Path original;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "sample --unet --torch: Python with PyTorch (default: ${DEFAULT-VALUE}, Debian's python3-torch)")
    String python;

    /** The anchor's lines (torch-unet-bench's DjlUNet and Meter): a timed training step, a summary, a detail row. */
    private static final Pattern TORCH_STEP = Pattern.compile("^train it (\\d+) ([0-9.]+) s");
    private static final Pattern TORCH_SUMMARY = Pattern.compile(
            "^ {2}(train|fwd): median=([0-9.]+) .*cleanMedian=([0-9.]+)");
    private static final Pattern TORCH_DETAIL = Pattern.compile("([0-9.]+)\\(own[0-9.]+,fg([0-9.]+)\\)");
    private static final int TORCH_WARMUP = 3;
    /** The anchor's batch, for its training steps and its forward passes alike. */
    private static final int TORCH_BATCH = 32;

    @Override
    public void run() {
        if (what.equals("sync")) {
            SyncBenchCommand.run(out(), sizes, batch != null ? batch : 4, Math.max(3, iterations));
            return;
        }
        if (what.equals("prep")) {
            if (images < 10) {
                throw new IllegalArgumentException("bench: --images must be >= 10 (got " + images + ")");
            }
            try {
                PrepBench.run(out(), images);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("bench prep failed: " + e, e);
            }
            return;
        }
        if (unet != null) {
            runPublished();
            return;
        }
        if (!what.equals("train") && !what.equals("sample") && !what.equals("ct") && !what.equals("unet")) {
            throw new IllegalArgumentException("bench: unknown benchmark '" + what
                    + "' (choose train, sample, ct, unet, prep or sync)");
        }
        int channels = this.channels != null ? this.channels : what.equals("unet") ? 128 : 64;
        if (channels < 1) {
            throw new IllegalArgumentException("bench: --channels must be >= 1 (got " + channels + ")");
        }
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("bench: --iterations must be >= 1 and --warmup >= 0");
        }
        int b = batch != null ? batch : what.equals("sample") ? 64 : 32;
        if (b < 1) {
            throw new IllegalArgumentException("bench: --batch must be >= 1 (got " + b + ")");
        }
        out().println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", Java kernels "
                + ai.onestep.nd4j.FastPaths.description() + ", OMP_WAIT_POLICY "
                + java.util.Objects.requireNonNullElse(System.getenv("OMP_WAIT_POLICY"), "unset (OpenMP threads spin)"));
        if (what.equals("ct") || what.equals("unet")) {
            Bench.Result[] r = what.equals("ct") ? Bench.ct(b, warmup, iterations, channels)
                    : Bench.unet(b, warmup, iterations, channels);
            out().println(r[0]);
            out().println(r[1]);
            out().printf("RESULT ratio ct-step/plain-step = %.2f%n", r[1].medianSeconds() / r[0].medianSeconds());
            return;
        }
        Bench.Result measured = what.equals("train") ? Bench.train(b, warmup, iterations, channels)
                : Bench.sample(b, warmup, iterations, channels);
        out().println(measured);
        List<Bench.Result> results = List.of(measured);
        if (torch) {
            TorchRun t = runTorch();
            boolean train = what.equals("train");
            TorchRun.Medians torchMedians = train ? t.train() : t.forward();
            for (Bench.Result r : results) {
                StepTimes clean = r.times().clean();
                if (train) {
                    out().printf("RESULT ratio %s onestep/pytorch = %.2f (median of every timed step: onestep "
                                    + "%.3f s, pytorch %.3f s; batch %d)%n", r.what(),
                            r.medianSeconds() / torchMedians.every(), r.medianSeconds(), torchMedians.every(),
                            TORCH_BATCH);
                    out().printf("RESULT ratio %s clean onestep/pytorch = %.2f (median of the steps with under "
                                    + "%.2f cores of foreign load, the anchor's own figure: onestep %.3f s over %d/%d "
                                    + "steps, pytorch %.3f s)%n", r.what(), clean.median() / torchMedians.clean(),
                            StepTimes.CLEAN_FOREIGN_CORES, clean.median(), clean.size(), r.times().size(),
                            torchMedians.clean());
                    // the same measure of both, so the machine's own noise shows beside OneStep's
                    out().printf("RESULT spread %s onestep %.2f (clean steps %.2f), pytorch %.2f (clean steps "
                                    + "%.2f) (slowest of the last %d steps over their median)%n", r.what(),
                            r.maxOverMedian(), clean.spread(), t.trainSteps().spread(),
                            t.trainSteps().clean().spread(), StepTimes.SPREAD_WINDOW);
                } else {
                    double torchEvery = TORCH_BATCH / torchMedians.every();
                    double torchClean = TORCH_BATCH / torchMedians.clean();
                    out().printf("RESULT ratio %s images/s onestep/pytorch = %.2f (median of every timed step: "
                                    + "onestep %.1f img/s at batch %d, pytorch forward %.1f img/s at batch %d)%n",
                            r.what(), r.imagesPerSecond() / torchEvery, r.imagesPerSecond(), b, torchEvery,
                            TORCH_BATCH);
                    out().printf("RESULT ratio %s clean images/s onestep/pytorch = %.2f (median of the steps "
                                    + "with under %.2f cores of foreign load: onestep %.1f img/s over %d/%d steps, "
                                    + "pytorch forward %.1f img/s)%n", r.what(), b / clean.median() / torchClean,
                            StepTimes.CLEAN_FOREIGN_CORES, b / clean.median(), clean.size(), r.times().size(),
                            torchClean);
                }
            }
        }
    }

    /**
     * What the PyTorch anchor printed: the medians of its training steps and forward passes (of every timed step, and
     * of its clean ones) and each timed training step with the foreign load during it.
     */
    record TorchRun(Medians train, Medians forward, StepTimes trainSteps) {
        record Medians(double every, double clean) {
        }
    }


    private TorchRun runTorch() {
        Path dir = anchor != null ? anchor : defaultAnchor();
        if (!Files.exists(dir.resolve("run.sh"))) {
            throw new IllegalArgumentException("bench: no PyTorch anchor at " + dir + " (pass --anchor DIR)");
        }
        try {
            Process p = new ProcessBuilder("bash", dir.resolve("run.sh").toString(),
                    String.valueOf(Math.max(iterations, 5)), String.valueOf(Runtime.getRuntime().availableProcessors()))
                    .redirectErrorStream(true).start();
            Map<String, TorchRun.Medians> medians = new HashMap<>();
            List<Double> steps = new ArrayList<>();
            List<Double> foreign = new ArrayList<>();
            String detailOf = null; // the section whose detail row comes next
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out().println("[pytorch] " + line);
                    Matcher step = TORCH_STEP.matcher(line);
                    Matcher summary = TORCH_SUMMARY.matcher(line);
                    if (step.find() && Integer.parseInt(step.group(1)) >= TORCH_WARMUP) {
                        steps.add(Double.parseDouble(step.group(2)));
                    } else if (summary.find()) {
                        medians.put(summary.group(1), new TorchRun.Medians(Double.parseDouble(summary.group(2)),
                                Double.parseDouble(summary.group(3))));
                        detailOf = summary.group(1);
                        continue;
                    } else if ("train".equals(detailOf)) {
                        Matcher d = TORCH_DETAIL.matcher(line);
                        while (d.find()) {
                            foreign.add(Double.parseDouble(d.group(2)));
                        }
                    }
                    detailOf = null;
                }
            }
            p.waitFor();
            if (!medians.containsKey("train") || !medians.containsKey("fwd")) {
                throw new IllegalStateException("the PyTorch anchor did not print its train and fwd summaries");
            }
            if (foreign.size() != steps.size()) {
                throw new IllegalStateException("the PyTorch anchor printed " + steps.size() + " timed steps but "
                        + foreign.size() + " foreign-load readings");
            }
            return new TorchRun(medians.get("train"), medians.get("fwd"), new StepTimes(steps, foreign));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("running the PyTorch anchor failed: " + e.getMessage(), e);
        }
    }

    private static Path defaultAnchor() {
        String env = System.getenv("ONESTEP_ANCHOR");
        if (env != null) {
            return Path.of(env);
        }
        String home = System.getProperty("onestep.home", ".");
        return Path.of(home).toAbsolutePath().resolve(".." + File.separator + "shared" + File.separator + "anchors"
                + File.separator + "torch-unet-bench").normalize();
    }

    private void runPublished() {
        if (!what.equals("sample")) {
            throw new IllegalArgumentException("bench: --unet goes with sample (got " + what + ")");
        }
        PublishedUnetBench.Net net;
        try {
            net = PublishedUnetBench.Net.valueOf(unet.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bench: --unet must be imagenet64 or bedroom256 (got " + unet + ")");
        }
        if (batches.stream().anyMatch(b -> b < 1) || iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("bench: --batches must be >= 1, --iterations >= 1 and --warmup >= 0");
        }
        Path orig = original != null ? original : System.getenv("ONESTEP_ORIGINAL") != null
                ? Path.of(System.getenv("ONESTEP_ORIGINAL")) : null;
        if (torch && orig == null) {
            throw new IllegalArgumentException("bench: --torch with --unet needs --original DIR, a checkout of "
                    + "openai/consistency_models (git clone https://github.com/openai/consistency_models)");
        }
        Path script = Path.of(System.getProperty("onestep.home", ".")).resolve("bench/torch/original_unet.py");
        try {
            PublishedUnetBench.run(out(), net, batches, warmup, iterations, torch ? orig : null, python, script);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the benchmark prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
