package ai.onestep.evaluation;

import ai.onestep.ckpt.Weights;
import ai.onestep.files.HadoopFiles;
import ai.onestep.image.TensorImages;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.eval.features.FeatureExtractor;
import ai.onestep.generate.SampleSpec;
import ai.onestep.generate.Sampling;
import ai.onestep.nn.GraphDenoiser;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples a checkpoint on the cluster and turns the samples into features where they are made: each task takes
 * batch-aligned slices of one seeded sample stream (so any partitioning gives the same images), runs the extractor,
 * and returns an {@link EvalPart}; parts are tree-reduced to the driver. Executors load the checkpoint, its denoiser
 * and the extractor once per thread and reuse them across tasks and sampler settings.
 */
public final class EvalJob {
    /**
     * @param checkpoint checkpoint or run directory (URI)
     * @param weights    which parameters to sample with
     * @param features   resolved extractor spec ({@link Extractors})
     * @param keepPool   collect pooled features (precision/recall, KID)
     * @param keepProbs  collect probabilities (Inception Score, confident fraction)
     * @param heun       an EDM teacher, sampled with Heun (steps = Heun steps)
     */
    public record Request(String checkpoint, Weights weights, String features, int num, long seed, int batch,
                          boolean keepPool, boolean keepProbs, boolean heun, int partitions) implements Serializable {
    }

    private static final Map<String, Object> PER_THREAD = new ConcurrentHashMap<>();

    private EvalJob() {
    }

    /** Features of {@code num} samples taken with {@code steps} network evaluations on the Karras grid (1 = one step). */
    public static EvalPart run(JavaSparkContext sc, Request r, int steps) {
        List<long[]> slices = new ArrayList<>();
        for (long from = 0; from < r.num(); from += r.batch()) {
            slices.add(new long[]{from, Math.min(r.batch(), r.num() - from)});
        }
        int partitions = Math.max(1, Math.min(r.partitions(), slices.size()));
        sc.setJobDescription("eval " + r.checkpoint() + ": " + r.num() + " samples, " + steps + " step" + (steps > 1 ? "s" : ""));
        return sc.parallelize(slices, partitions).mapPartitions(it -> {
            EvalPart part = new EvalPart();
            RunCheckpoint ck = perThread("ck " + r.checkpoint(), () -> load(r.checkpoint()));
            GraphDenoiser d = perThread("d " + r.checkpoint() + " " + r.weights(), () -> ck.denoiser(r.weights()));
            FeatureExtractor fx = perThread("fx " + r.features(), () -> Extractors.open(r.features()));
            while (it.hasNext()) {
                long[] s = it.next();
                SampleSpec spec = new SampleSpec(r.heun(), steps, null, 40, (int) s[1], r.batch(), null, r.seed(), true);
                Sampling.Result res = Sampling.run(d, ck.network(), spec, s[0]);
                part.seconds += res.seconds();
                // scored as the 8-bit images they stand for, as OpenAI's evaluator scores its uint8 .npz samples
                part.add(s[0], fx.extract(TensorImages.quantize(res.samples())), r.keepPool(), r.keepProbs());
            }
            return List.of(part).iterator();
        }).treeReduce(EvalPart::merge);
    }

    static RunCheckpoint load(String uri) {
        try {
            return RunCheckpoint.load(new HadoopFiles(uri, new Configuration()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T perThread(String key, java.util.function.Supplier<T> make) {
        return (T) PER_THREAD.computeIfAbsent(key + " @" + Thread.currentThread().getId(), k -> make.get());
    }
}
