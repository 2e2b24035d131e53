package ai.onestep.distributed;

import ai.onestep.data.prep.HadoopConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The communication of one round. Vectors are broadcast in chunks of at most {@code chunkFloats} (Kryo and Spark
 * block limits stay far away at 300M parameters). Results come back by {@code treeAggregate} when every vector fits
 * one chunk, else as keyed chunks summed with {@code reduceByKey} across the cluster, so no single serialized value
 * grows with the model.
 */
final class RoundExchange {
    private final JavaSparkContext sc;
    private final List<Integer> workers;
    private final int chunkFloats;

    /** What a worker task does with the round's state: the trainer's local steps, or a stand-in for benchmarks. */
    interface Work extends java.io.Serializable {
        RoundSum run(RoundState state, int worker);
    }

    private final Work work;

    RoundExchange(JavaSparkContext sc, Broadcast<String> config, HadoopConf hadoop, int workers, int chunkFloats) {
        this(sc, trainerWork(config, hadoop), workers, chunkFloats);
    }

    RoundExchange(JavaSparkContext sc, Work work, int workers, int chunkFloats) {
        this.sc = sc;
        this.work = work;
        this.workers = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            this.workers.add(w);
        }
        this.chunkFloats = chunkFloats;
    }

    /** One chunk of a summed vector, or the round's scalars; the value type of the chunked reduce. */
    static final class Part implements java.io.Serializable {
        float[] values;
        RoundSum meta;

        Part() {
        }

        Part(float[] values, RoundSum meta) {
            this.values = values;
            this.meta = meta;
        }

        Part add(Part o) {
            if (meta != null) {
                meta.add(o.meta);
            } else {
                for (int i = 0; i < values.length; i++) {
                    values[i] += o.values[i];
                }
            }
            return this;
        }
    }

    RoundSum run(RoundState meta, float[] params, float[] target, float[] optimizer) {
        List<Broadcast<float[]>> p = broadcast(params);
        List<Broadcast<float[]>> t = target == null ? null : broadcast(target);
        List<Broadcast<float[]>> o = broadcast(optimizer);
        Broadcast<RoundState> m = sc.broadcast(meta);
        Work job = work;
        int chunk = chunkFloats;
        int n = workers.size();
        try {
            if (params.length <= chunkFloats && optimizer.length <= chunkFloats) {
                return sc.parallelize(workers, n)
                        .map(w -> job.run(assemble(m.value(), p, t, o), w))
                        .treeAggregate(RoundSum.empty(n), RoundSum::add, RoundSum::add);
            }
            int pChunks = chunks(params.length);
            JavaPairRDD<Integer, Part> parts = sc.parallelize(workers, n).flatMapToPair(w -> {
                RoundSum r = job.run(assemble(m.value(), p, t, o), w);
                return split(r, chunk, pChunks);
            });
            Map<Integer, Part> summed = parts.reduceByKey(Part::add, Math.max(1, Math.min(n * 4, pChunks * 3 + 1)))
                    .collectAsMap();
            RoundSum sum = summed.get(-1).meta;
            sum.params = join(summed, 0, params.length);
            sum.optimizer = join(summed, pChunks, optimizer.length);
            return sum;
        } finally {
            m.destroy();
            destroy(p);
            destroy(t);
            destroy(o);
        }
    }

    private static Work trainerWork(Broadcast<String> config, HadoopConf hadoop) {
        return (state, w) -> WorkerRuntime.get(config.value(), hadoop).run(state, w);
    }

    private int chunks(int length) {
        return (length + chunkFloats - 1) / chunkFloats;
    }

    private List<Broadcast<float[]>> broadcast(float[] v) {
        List<Broadcast<float[]>> out = new ArrayList<>();
        for (int from = 0; from < v.length; from += chunkFloats) {
            out.add(sc.broadcast(Arrays.copyOfRange(v, from, Math.min(v.length, from + chunkFloats))));
        }
        if (v.length == 0) {
            out.add(sc.broadcast(new float[0]));
        }
        return out;
    }

    private static void destroy(List<Broadcast<float[]>> bs) {
        if (bs != null) {
            bs.forEach(Broadcast::destroy);
        }
    }

    /** The worker-side view: meta plus the joined vectors. */
    static RoundState assemble(RoundState meta, List<Broadcast<float[]>> p, List<Broadcast<float[]>> t,
                               List<Broadcast<float[]>> o) {
        return new RoundState(meta.round, meta.step, meta.localSteps, joinBroadcast(p),
                t == null ? null : joinBroadcast(t), joinBroadcast(o), meta.positions);
    }

    private static float[] joinBroadcast(List<Broadcast<float[]>> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0).value();
        }
        int len = 0;
        for (Broadcast<float[]> c : chunks) {
            len += c.value().length;
        }
        float[] out = new float[len];
        int at = 0;
        for (Broadcast<float[]> c : chunks) {
            float[] v = c.value();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** A worker's result as keyed parts: -1 = scalars, 0.. = parameter chunks, then optimizer chunks. */
    static Iterator<Tuple2<Integer, Part>> split(RoundSum r, int chunk, int pChunks) {
        List<Tuple2<Integer, Part>> out = new ArrayList<>();
        float[] params = r.params;
        float[] opt = r.optimizer;
        r.params = null;
        r.optimizer = null;
        out.add(new Tuple2<>(-1, new Part(null, r)));
        for (int i = 0, from = 0; from < params.length; i++, from += chunk) {
            out.add(new Tuple2<>(i, new Part(Arrays.copyOfRange(params, from, Math.min(params.length, from + chunk)), null)));
        }
        for (int i = 0, from = 0; from < opt.length; i++, from += chunk) {
            out.add(new Tuple2<>(pChunks + i, new Part(Arrays.copyOfRange(opt, from, Math.min(opt.length, from + chunk)), null)));
        }
        return out.iterator();
    }

    private float[] join(Map<Integer, Part> summed, int firstKey, int length) {
        float[] out = new float[length];
        for (int i = 0, from = 0; from < length; i++, from += chunkFloats) {
            float[] v = summed.get(firstKey + i).values;
            System.arraycopy(v, 0, out, from, v.length);
        }
        return out;
    }
}
