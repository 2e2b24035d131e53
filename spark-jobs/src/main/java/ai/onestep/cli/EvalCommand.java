package ai.onestep.cli;

import ai.onestep.ckpt.Weights;
import ai.onestep.files.HadoopFiles;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.files.AtomicWrite;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.run.RunVisuals;
import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.features.FeatureExtractor;
import ai.onestep.evaluation.EvalJob;
import ai.onestep.evaluation.EvalPart;
import ai.onestep.evaluation.Extractors;
import ai.onestep.evaluation.Metrics;
import ai.onestep.evaluation.Reference;
import ai.onestep.generate.SampleSpec;
import ai.onestep.generate.Sampling;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.util.Rng;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code onestep eval}: FID, sFID, IS, precision/recall and KID of a checkpoint's samples, computed on Spark. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
                "Samples a checkpoint on the cluster (each task a seeded, batch-aligned slice), computes "
                        + "features on the executors, aggregates FID statistics on the driver and collects features only "
                        + "for the metrics that need them. Writes report.json, samples.png and, with several --steps, "
                        + "fid-vs-steps.png."})
final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "checkpoint or run directory (URI)")
    String checkpoint;

    @Option(names = "--ref", required = true, description = "reference images: a shard set, or an .npz (arr_0 uint8 NHWC, "
            + "optionally mu/sigma[/mu_s/sigma_s] statistics)")
    String ref;

    @Option(names = "--features", defaultValue = "classifier", description = "classifier (one OneStep trains on the "
            + "labelled --ref shards, cached), classifier:FILE.npz (one saved before, e.g. OUT/classifier.npz), "
            + "inception:FILE.pb (TensorFlow's classify_image_graph_def.pb, as OpenAI's evaluator; --ref may then be one "
            + "of its reference batches) or onnx:FILE.onnx (one NCHW input in [-1, 1], output 1 the features, an "
            + "optional output 2 class probabilities) (default: ${DEFAULT-VALUE})")
    String features;

    @Option(names = "--num", defaultValue = "10000", description = "samples (default: ${DEFAULT-VALUE}; the paper: 50000)")
    int num;

    @Option(names = "--ref-num", description = "reference images used (default: --num)")
    Integer refNum;

    @Option(names = "--steps", split = ",", defaultValue = "1", description = "network evaluations to evaluate, e.g. 1,2,4 "
            + "(default: ${DEFAULT-VALUE}; EDM teachers: Heun steps)")
    List<Integer> steps;

    @Option(names = "--metrics", split = ",", defaultValue = "fid,sfid,is,pr,kid", description = "any of fid (Frechet "
            + "Inception distance), sfid (its spatial variant), is (Inception score), pr (precision and recall), kid "
            + "(kernel Inception distance) (default: ${DEFAULT-VALUE})")
    List<String> metrics;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the sample stream (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "64", description = "images per forward pass and per slice (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--ema", description = "weights to use: an EMA rate, or online (default: the first EMA)")
    String ema;

    @Option(names = "--partitions", description = "Spark partitions (default: 2 x the default parallelism)")
    Integer partitions;

    @Option(names = "--cache", description = "directory for reference statistics and trained classifiers (default: "
            + "~/.cache/onestep/eval)")
    String cache;

    @Option(names = "--out", required = true, description = "output directory (report.json, samples.png, fid-vs-steps.png)")
    String out;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Override
    public Integer call() throws Exception {
        Set<String> wanted = new LinkedHashSet<>(metrics);
        for (String m : wanted) {
            if (!Metrics.NAMES.contains(m)) {
                throw new IllegalArgumentException("eval: --metrics takes " + String.join(", ", Metrics.NAMES) + " (got " + m + ")");
            }
        }
        if (num < 2 || batch < 1) {
            throw new IllegalArgumentException("eval: --num must be >= 2 and --batch >= 1 (got " + num + ", " + batch + ")");
        }
        for (int s : steps) {
            if (s < 1) {
                throw new IllegalArgumentException("eval: --steps must be >= 1 (got " + s + ")");
            }
        }
        Configuration conf = new Configuration();
        RunCheckpoint ck = RunCheckpoint.load(new HadoopFiles(checkpoint, conf));
        boolean heun = ck.isEdm();
        if (ck.network().sampleShape().length != 3) {
            throw new IllegalArgumentException("eval: the model generates points, not images");
        }
        int side = (int) ck.network().sampleShape()[1];
        if (!ref.endsWith(".npz")) { // a shard set says its resolution up front; an .npz's images are checked on reading
            try {
                int refSide = ai.onestep.data.shard.ShardSet.open(ref, conf).manifest().resolution();
                Reference.requireSide(ref, refSide, refSide, side);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("eval: " + e.getMessage(), e);
            }
        }
        String cacheDir = cache != null ? cache : System.getProperty("user.home") + "/.cache/onestep/eval";
        new Path(cacheDir).getFileSystem(conf).mkdirs(new Path(cacheDir));
        int refLimit = refNum != null ? refNum : num;
        String spec = resolveFeatures(cacheDir, conf);
        FeatureExtractor fx = Extractors.open(spec);
        boolean rows = Metrics.needsRows(wanted);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ck.dir());
        report.put("kind", ck.config().methodSettings().kindName());
        report.put("weights", ck.resolve(Weights.parse("eval: --ema", ema)).label());
        report.put("features", fx.name());
        report.put("features_spec", spec);
        report.put("num", num);
        report.put("seed", seed);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Double> fids = new ArrayList<>();
        Reference reference = null;
        try (JavaSparkContext sc = Sparks.start("onestep eval", master, true)) {
            int parts = partitions != null ? partitions : 2 * sc.defaultParallelism();
            EvalJob.Request req = new EvalJob.Request(checkpoint, Weights.parse("eval: --ema", ema), spec, num, seed, batch, rows, true, heun, parts);
            for (int s : steps) {
                long t0 = System.nanoTime();
                EvalPart part = EvalJob.run(sc, req, s);
                double wall = (System.nanoTime() - t0) / 1e9;
                if (reference == null) {
                    try {
                        reference = Reference.load(ref, fx, part.dims(), refLimit, rows,
                                cacheDir + "/reference-" + key(ref, spec, String.valueOf(refLimit)) + ".npz",
                                side, conf);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("eval: " + e.getMessage(), e);
                    }
                    report.put("reference", Map.of("source", ref, "images", reference.count()));
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put(heun ? "heun_steps" : "steps", s);
                r.putAll(Metrics.compute(part, reference, wanted, seed));
                r.put("seconds", wall);
                r.put("images_per_second", num / wall);
                results.add(r);
                fids.add(r.containsKey("fid") ? ((Number) r.get("fid")).doubleValue() : Double.NaN);
                out().println("eval: " + new ObjectMapper().writeValueAsString(r));
            }
        }
        report.put("results", results);
        String dir = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
        new Path(dir).getFileSystem(conf).mkdirs(new Path(dir));
        AtomicWrite.write(dir + "/samples.png", preview(ck, heun), conf);
        if (steps.size() > 1 && wanted.contains("fid")) {
            AtomicWrite.write(dir + "/fid-vs-steps.png", RunVisuals.linePlot(steps.stream().mapToDouble(i -> i).toArray(),
                    fids.stream().mapToDouble(Double::doubleValue).toArray(), "steps", "FID"), conf);
        }
        AtomicWrite.write(dir + "/report.json", new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(report), conf);
        out().println("eval: report " + dir + "/report.json");
        return 0;
    }

    /** "classifier" is trained here on the labelled reference shards once and cached; other specs pass through. */
    private String resolveFeatures(String cacheDir, Configuration conf) throws Exception {
        if (!features.equals("classifier")) {
            if (!features.startsWith("classifier:") && !features.startsWith("inception:")
                    && !features.startsWith("onnx:")) {
                throw new IllegalArgumentException("eval: --features must be classifier, classifier:FILE.npz, "
                        + "inception:FILE.pb or onnx:FILE.onnx (got " + features + ")");
            }
            return features;
        }
        String file = cacheDir + "/classifier-" + key(ref, "classifier-256") + ".npz";
        Path p = new Path(file);
        if (!p.getFileSystem(conf).exists(p)) {
            if (ref.endsWith(".npz")) {
                throw new IllegalArgumentException("eval: --features classifier trains on labelled shards; with an .npz "
                        + "reference give classifier:FILE.npz or inception:FILE.pb");
            }
            Batch b = ShardImages.read(ref, 60000, conf);
            int classes = 0;
            for (int l : b.labels()) {
                classes = Math.max(classes, l + 1);
            }
            if (classes < 2) {
                throw new IllegalArgumentException("eval: --features classifier needs labelled reference shards ("
                        + ref + " has no labels); give classifier:FILE.npz or inception:FILE.pb");
            }
            DigitScorer c = DigitScorer.train(Nd4j.createFromArray(b.x()).reshape(b.shape()), b.labels(), classes, 256, 3,
                    Rng.of(7));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            c.write(buf);
            AtomicWrite.write(file, buf.toByteArray(), conf);
            out().println("eval: trained a classifier on " + b.n() + " reference images -> " + file);
        }
        return "classifier:" + file;
    }

    private byte[] preview(RunCheckpoint ck, boolean heun) {
        int n = Math.min(64, num);
        try (GraphDenoiser d = ck.denoiser(Weights.parse("eval: --ema", ema))) {
            Sampling.Result r = Sampling.run(d, ck.network(), new SampleSpec(heun, steps.get(0), null, 40, n,
                    Math.min(n, batch), null, seed));
            return Png.encode(Png.grid(TensorImages.toPixels(r.samples()), (int) Math.ceil(Math.sqrt(n)), 2));
        }
    }

    private static String key(String... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
