package ai.onestep.distributed;

import ai.onestep.files.HadoopConf;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The communication of one round. Vectors are broadcast in chunks of at most {@code chunkFloats} (Kryo and Spark
 * block limits stay far away at 300M parameters). Results come back by {@code treeAggregate} when every vector fits
 * one chunk, else as keyed chunks summed across the cluster by a shuffle without map-side combining and read back a
 * few partitions at a time, so no single serialized value grows with the model and the driver holds the sums plus
 * those partitions (Spark's {@code spark.driver.maxResultSize} bounds each gather, not the whole model).
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

    /** Runs one round from the driver's current vectors ({@code target} null when the round needs none). */
    RoundSum run(RoundState meta, INDArray params, INDArray target, INDArray optimizer) {
        List<Broadcast<float[]>> p = broadcast(params);
        List<Broadcast<float[]>> t = target == null ? null : broadcast(target);
        List<Broadcast<float[]>> o = broadcast(optimizer);
        Broadcast<RoundState> m = sc.broadcast(meta);
        Work job = work;
        int chunk = chunkFloats;
        int n = workers.size();
        try {
            if (p.size() == 1 && o.size() == 1) {
                return sc.parallelize(workers, n)
                        .map(w -> job.run(assemble(m.value(), p, t, o, chunk), w))
                        .treeAggregate(RoundSum.empty(n), RoundSum::add, RoundSum::add);
            }
            int pChunks = p.size();
            int oChunks = o.size();
            // partitions of about 256 MB (at least 4 per worker): the driver gathers n of them at a time
            long bytes = 4L * (params.length() + optimizer.length());
            int parts = (int) Math.min(pChunks + oChunks + 1, Math.max(n * 4L, (bytes + (256L << 20) - 1) / (256L << 20)));
            // no map-side combine: each worker emits each key once, so combining there would only hold every chunk
            // in memory; records stream to the shuffle as the worker's chunks are handed over
            JavaPairRDD<Integer, Part> summed = sc.parallelize(workers, n)
                    .flatMapToPair(w -> split(job.run(assemble(m.value(), p, t, o, chunk), w)))
                    .combineByKey(v -> v, Part::add, Part::add, new HashPartitioner(parts), false, null);
            // a few reduce partitions at a time (as many as workers, so they run in parallel): the driver holds the
            // sums plus those partitions' parts, never the whole model twice
            RoundSum sum = null;
            float[][] pSum = new float[pChunks][];
            float[][] oSum = new float[oChunks][];
            for (int first = 0; first < parts; first += n) {
                int[] ids = new int[Math.min(n, parts - first)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = first + i;
                }
                for (List<Tuple2<Integer, Part>> partition : summed.collectPartitions(ids)) {
                    for (Tuple2<Integer, Part> e : partition) {
                        int key = e._1();
                        if (key < 0) {
                            sum = e._2().meta;
                        } else if (key < pChunks) {
                            pSum[key] = e._2().values;
                        } else {
                            oSum[key - pChunks] = e._2().values;
                        }
                    }
                }
            }
            if (sum == null) {
                throw new IllegalStateException("the round's scalars did not come back");
            }
            sum.params = new ChunkedFloats(pSum, chunk);
            sum.optimizer = new ChunkedFloats(oSum, chunk);
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

    private List<Broadcast<float[]>> broadcast(INDArray v) {
        List<Broadcast<float[]>> out = new ArrayList<>();
        for (float[] c : ChunkedFloats.copyOf(v, chunkFloats).chunks) {
            out.add(sc.broadcast(c));
        }
        return out;
    }

    private static void destroy(List<Broadcast<float[]>> bs) {
        if (bs != null) {
            bs.forEach(Broadcast::destroy);
        }
    }

    /** The worker-side view: meta plus the broadcast chunks (shared, not joined: no copy of the whole model). */
    static RoundState assemble(RoundState meta, List<Broadcast<float[]>> p, List<Broadcast<float[]>> t,
                               List<Broadcast<float[]>> o, int chunk) {
        return new RoundState(meta.round, meta.step, meta.localSteps, chunks(p, chunk),
                t == null ? null : chunks(t, chunk), chunks(o, chunk), meta.positions);
    }

    private static ChunkedFloats chunks(List<Broadcast<float[]>> bs, int chunk) {
        float[][] c = new float[bs.size()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = bs.get(i).value();
        }
        return new ChunkedFloats(c, chunk);
    }

    /**
     * A worker's result as keyed parts: -1 = scalars, 0.. = parameter chunks, then optimizer chunks. The chunks are
     * handed over as they are (the shuffle serializes them), so a worker holds one result, not two.
     */
    static Iterator<Tuple2<Integer, Part>> split(RoundSum r) {
        List<Tuple2<Integer, Part>> out = new ArrayList<>();
        float[][] params = r.params.chunks;
        float[][] opt = r.optimizer.chunks;
        r.params = null;
        r.optimizer = null;
        out.add(new Tuple2<>(-1, new Part(null, r)));
        for (int i = 0; i < params.length; i++) {
            out.add(new Tuple2<>(i, new Part(params[i], null)));
        }
        for (int i = 0; i < opt.length; i++) {
            out.add(new Tuple2<>(params.length + i, new Part(opt[i], null)));
        }
        return out.iterator();
    }
}
