package ai.onestep.cli;

import ai.onestep.ckpt.Weights;
import ai.onestep.evaluation.EvalSpec;
import ai.onestep.evaluation.Evaluation;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashSet;
import java.util.List;
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
        EvalSpec evalSpec;
        Evaluation evaluation;
        Configuration conf = new Configuration();
        try {
            evalSpec = new EvalSpec(checkpoint, Weights.parse("--ema", ema), ref, refNum, features,
                    new LinkedHashSet<>(metrics), steps, num, batch, seed, partitions,
                    cache != null ? cache : System.getProperty("user.home") + "/.cache/onestep/eval", out);
            evaluation = Evaluation.prepare(evalSpec, conf, line -> out().println("eval: " + line));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eval: " + e.getMessage(), e);
        }
        try (JavaSparkContext sc = Sparks.start("onestep eval", master, true)) {
            evaluation.run(sc, line -> out().println("eval: " + line));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eval: " + e.getMessage(), e);
        }
        String dir = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
        out().println("eval: report " + dir + "/report.json");
        return 0;
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
