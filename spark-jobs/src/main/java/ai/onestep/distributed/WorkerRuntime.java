package ai.onestep.distributed;

import ai.onestep.files.HadoopLocations;
import ai.onestep.conf.DataSettings;
import ai.onestep.conf.MethodSettings;
import ai.onestep.conf.TrainConfig;
import ai.onestep.files.HadoopConf;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.stream.MinibatchStream;
import ai.onestep.data.stream.Position;
import ai.onestep.nn.Network;
import ai.onestep.precond.Denoiser;
import ai.onestep.train.NonFiniteLossException;
import ai.onestep.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The executor side of a run: SameDiff trainers built once per executor (one per concurrent task slot) and reused
 * across rounds, the workers' data feeds, and the H local steps of one round. Nothing here decides anything: a round
 * is a pure function of the broadcast state and the worker index, so a retried task gives the same result.
 */
final class WorkerRuntime {
    private static final Map<String, WorkerRuntime> RUNTIMES = new ConcurrentHashMap<>();
    /** Tests only (local mode): steps of worker 0 whose minibatch is replaced by NaNs, to exercise failed rounds. */
    static volatile java.util.function.LongPredicate poisonWorker0 = k -> false;

    private final String configJson;
    private final TrainConfig cfg;
    private final HadoopConf hadoop;
    private final ConcurrentLinkedQueue<Trainer> idle = new ConcurrentLinkedQueue<>();
    private final Map<Integer, DataFeed> feeds = new ConcurrentHashMap<>();
    private volatile ShardSet shards;
    private volatile Denoiser teacher;

    private WorkerRuntime(String configJson, HadoopConf hadoop) {
        this.configJson = configJson;
        this.cfg = TrainConfig.parse(configJson, java.util.List.of());
        this.hadoop = hadoop;
    }

    static WorkerRuntime get(String configJson, HadoopConf hadoop) {
        return RUNTIMES.computeIfAbsent(configJson, j -> new WorkerRuntime(j, hadoop));
    }

    /** Forgets every cached runtime of this JVM (tests that run several configurations). */
    static void clear() {
        RUNTIMES.clear();
    }

    /** H local steps of one worker from the broadcast state. */
    RoundSum run(RoundState state, int worker) {
        GpuBinding.bindTaskGpu();
        Trainer t = idle.poll();
        if (t == null) {
            t = newTrainer();
        }
        try {
            return steps(t, state, worker);
        } finally {
            idle.add(t);
        }
    }

    private RoundSum steps(Trainer t, RoundState state, int worker) {
        long t0 = System.nanoTime();
        try (INDArray p = state.params.toNd4j(); INDArray o = state.optimizer.toNd4j();
             INDArray target = state.target == null ? null : state.target.toNd4j()) {
            t.loadRoundStart(state.step, p, target, o);
        }
        DataFeed feed = feed(worker, state.positions[worker]);
        Network net = cfg.network();
        int steps = (int) Math.min(state.localSteps, cfg.run().steps() - state.step);
        RoundSum out = RoundSum.empty(state.positions.length);
        out.workers = 1;
        for (int i = 0; i < steps; i++) {
            DataFeed.Minibatch b = feed.next();
            if (worker == 0 && poisonWorker0.test(state.step + i)) {
                b = new DataFeed.Minibatch(b.x().dup().assign(Double.NaN), b.labels());
            }
            double loss;
            try {
                loss = t.localStep(b.x(), net.numClasses() > 0 ? b.labels() : null, worker);
            } catch (NonFiniteLossException e) {
                loss = Double.NaN;
            }
            if (Double.isNaN(loss)) {
                out.nonFinite++;
                out.firstProblem = "round " + (state.round + 1) + " worker " + worker + ": non-finite loss at step "
                        + (state.step + i);
                break; // the driver discards this round
            }
            out.lossSum += loss;
            out.steps++;
        }
        out.params = ChunkedFloats.copyOf(t.params(), state.params.chunkLength);
        out.optimizer = ChunkedFloats.copyOf(t.optimizer().state(), state.optimizer.chunkLength);
        out.positions[worker] = feed.position();
        out.maxComputeSeconds = (System.nanoTime() - t0) / 1e9;
        return out;
    }

    private Trainer newTrainer() {
        return new Trainer(cfg.trainerConfig(new HadoopLocations(hadoop.get())), cfg.network(), teacher(), null);
    }

    private Denoiser teacher() {
        if (cfg.methodSettings().kind() != MethodSettings.Kind.CD) {
            return null;
        }
        if (teacher == null) {
            synchronized (this) {
                if (teacher == null) {
                    teacher = Teachers.load(cfg, hadoop.get());
                }
            }
        }
        return teacher;
    }

    private DataFeed feed(int worker, Position at) {
        DataFeed f = feeds.get(worker);
        if (f != null && f.position().equals(at)) {
            return f;
        }
        if (f != null) {
            f.close();
        }
        DataFeed fresh = open(worker, at);
        feeds.put(worker, fresh);
        return fresh;
    }

    private DataFeed open(int worker, Position at) {
        int workers = cfg.run().workers();
        if (cfg.data().kind() == DataSettings.Kind.TOY2D) {
            return new ToyFeed(cfg.run().seed(), worker, cfg.run().batchPerWorker(), at);
        }
        if (shards == null) {
            try {
                shards = ShardSet.open(cfg.data().path(), hadoop.get());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ShardFeed(shards, hadoop, new MinibatchStream.Options(worker, workers, cfg.run().batchPerWorker(),
                cfg.data().flip(), cfg.run().seed(), cfg.run().prefetch()), at);
    }

    String configJson() {
        return configJson;
    }
}
