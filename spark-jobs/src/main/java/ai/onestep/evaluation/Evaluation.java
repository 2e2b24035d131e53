package ai.onestep.evaluation;

import ai.onestep.ckpt.Weights;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.features.FeatureExtractor;
import ai.onestep.files.AtomicWrite;
import ai.onestep.files.HadoopFiles;
import ai.onestep.generate.SampleSpec;
import ai.onestep.generate.Sampling;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.run.RunVisuals;
import ai.onestep.util.Rng;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An evaluation of a checkpoint: samples drawn on the cluster, features on the executors, metrics on the driver, the
 * report and previews written by rename. {@link #prepare} checks everything that can be checked without Spark (the
 * checkpoint, the reference's resolution, the features) so bad input fails before a session starts.
 */
public final class Evaluation {
    private final EvalSpec spec;
    private final Configuration conf;
    private final RunCheckpoint ck;
    private final String features;
    private final int side;

    private Evaluation(EvalSpec spec, Configuration conf, RunCheckpoint ck, String features, int side) {
        this.spec = spec;
        this.conf = conf;
        this.ck = ck;
        this.features = features;
        this.side = side;
    }

    /** Loads and checks the checkpoint and the reference, and trains the classifier features when asked (cached). */
    public static Evaluation prepare(EvalSpec spec, Configuration conf, Consumer<String> progress) throws IOException {
        RunCheckpoint ck = RunCheckpoint.load(new HadoopFiles(spec.checkpoint(), conf));
        ck.resolve(spec.weights());
        if (ck.network().sampleShape().length != 3) {
            throw new IllegalArgumentException("the model generates points, not images");
        }
        int side = (int) ck.network().sampleShape()[1];
        if (!spec.ref().endsWith(".npz")) { // a shard set says its resolution up front; an .npz's images are checked on reading
            int refSide = ShardSet.open(spec.ref(), conf).manifest().resolution();
            Reference.requireSide(spec.ref(), refSide, refSide, side);
        }
        new Path(spec.cacheDir()).getFileSystem(conf).mkdirs(new Path(spec.cacheDir()));
        return new Evaluation(spec, conf, ck, resolveFeatures(spec, conf, progress), side);
    }

    /** Runs on {@code sc}; {@code progress} gets one JSON line per step count. Returns what report.json holds. */
    public Map<String, Object> run(JavaSparkContext sc, Consumer<String> progress) throws IOException {
        boolean heun = ck.isEdm();
        int refLimit = spec.refNum() != null ? spec.refNum() : spec.num();
        FeatureExtractor fx = Extractors.open(features);
        boolean rows = Metrics.needsRows(spec.metrics());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ck.dir());
        report.put("kind", ck.config().methodSettings().kindName());
        report.put("weights", ck.resolve(spec.weights()).label());
        report.put("features", fx.name());
        report.put("features_spec", features);
        report.put("num", spec.num());
        report.put("seed", spec.seed());
        List<Map<String, Object>> results = new ArrayList<>();
        List<Double> fids = new ArrayList<>();
        Reference reference = null;
        int parts = spec.partitions() != null ? spec.partitions() : 2 * sc.defaultParallelism();
        EvalJob.Request req = new EvalJob.Request(spec.checkpoint(), spec.weights(), features, spec.num(), spec.seed(),
                spec.batch(), rows, true, heun, parts);
        ObjectMapper json = new ObjectMapper();
        for (int s : spec.steps()) {
            long t0 = System.nanoTime();
            EvalPart part = EvalJob.run(sc, req, s);
            double wall = (System.nanoTime() - t0) / 1e9;
            if (reference == null) {
                reference = Reference.load(spec.ref(), fx, part.dims(), refLimit, rows, spec.cacheDir() + "/reference-"
                        + key(spec.ref(), features, String.valueOf(refLimit)) + ".npz", side, conf);
                report.put("reference", Map.of("source", spec.ref(), "images", reference.count()));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(heun ? "heun_steps" : "steps", s);
            r.putAll(Metrics.compute(part, reference, spec.metrics(), spec.seed()));
            r.put("seconds", wall);
            r.put("images_per_second", spec.num() / wall);
            results.add(r);
            fids.add(r.containsKey("fid") ? ((Number) r.get("fid")).doubleValue() : Double.NaN);
            progress.accept(json.writeValueAsString(r));
        }
        report.put("results", results);
        String dir = spec.out().endsWith("/") ? spec.out().substring(0, spec.out().length() - 1) : spec.out();
        new Path(dir).getFileSystem(conf).mkdirs(new Path(dir));
        AtomicWrite.write(dir + "/samples.png", preview(heun), conf);
        if (spec.steps().size() > 1 && spec.metrics().contains("fid")) {
            AtomicWrite.write(dir + "/fid-vs-steps.png", RunVisuals.linePlot(spec.steps().stream().mapToDouble(i -> i)
                    .toArray(), fids.stream().mapToDouble(Double::doubleValue).toArray(), "steps", "FID"), conf);
        }
        AtomicWrite.write(dir + "/report.json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report), conf);
        return report;
    }

    /** "classifier" is trained on the labelled reference shards once and cached; other specs pass through. */
    private static String resolveFeatures(EvalSpec spec, Configuration conf, Consumer<String> progress)
            throws IOException {
        if (!spec.features().equals("classifier")) {
            return spec.features();
        }
        String file = spec.cacheDir() + "/classifier-" + key(spec.ref(), "classifier-256") + ".npz";
        Path p = new Path(file);
        if (!p.getFileSystem(conf).exists(p)) {
            if (spec.ref().endsWith(".npz")) {
                throw new IllegalArgumentException("--features classifier trains on labelled shards; with an .npz "
                        + "reference give classifier:FILE.npz or inception:FILE.pb");
            }
            Batch b = ShardImages.read(spec.ref(), 60000, conf);
            int classes = 0;
            for (int l : b.labels()) {
                classes = Math.max(classes, l + 1);
            }
            if (classes < 2) {
                throw new IllegalArgumentException("--features classifier needs labelled reference shards ("
                        + spec.ref() + " has no labels); give classifier:FILE.npz or inception:FILE.pb");
            }
            DigitScorer c = DigitScorer.train(Nd4j.createFromArray(b.x()).reshape(b.shape()), b.labels(), classes, 256,
                    3, Rng.of(7));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            c.write(buf);
            AtomicWrite.write(file, buf.toByteArray(), conf);
            progress.accept("trained a classifier on " + b.n() + " reference images -> " + file);
        }
        return "classifier:" + file;
    }

    private byte[] preview(boolean heun) {
        int n = Math.min(64, spec.num());
        try (GraphDenoiser d = ck.denoiser(spec.weights())) {
            Sampling.Result r = Sampling.run(d, ck.network(), new SampleSpec(heun, spec.steps().get(0), null, 40, n,
                    Math.min(n, spec.batch()), null, spec.seed(), true));
            return Png.encode(Png.grid(TensorImages.toPixels(r.samples()), (int) Math.ceil(Math.sqrt(n)), 2));
        }
    }

    private static String key(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
