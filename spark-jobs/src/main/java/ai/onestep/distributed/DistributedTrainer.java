package ai.onestep.distributed;

import ai.onestep.files.HadoopLocations;
import ai.onestep.run.RunVisuals;
import ai.onestep.files.HadoopFiles;
import ai.onestep.conf.DataSettings;
import ai.onestep.conf.MethodSettings;
import ai.onestep.ckpt.Checkpoint;
import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.TrainConfig;
import ai.onestep.files.HadoopConf;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.Position;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.latent.Pca;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.Network;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.ParamStore;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.train.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The distributed trainer, driver side (docs/training.md): the driver is the parameter server. Each round it
 * broadcasts the state, every worker task runs H local steps of the model module's {@link Trainer} on its own
 * minibatches, {@code treeAggregate} sums the results, and the driver averages parameters and optimizer state,
 * updates the target ({@code mu^H}) and the EMAs ({@code rate^H}), advances the schedule, logs, and checkpoints
 * every C rounds. Resumes from the newest complete checkpoint in the run directory.
 */
public final class DistributedTrainer implements AutoCloseable {
    /** Where the run lives, and how it starts when its directory holds no checkpoint. */
    public record Options(String runDir, String warmStart) {
        public static Options of(String runDir) {
            return new Options(runDir, null);
        }
    }

    static final String CHECKPOINTS = CheckpointIO.RUN_CHECKPOINTS;
    static final String METRICS = "metrics.jsonl";

    private final JavaSparkContext sc;
    private final TrainConfig cfg;
    private final HadoopFiles files;
    private final Trainer trainer;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> startNotes = new ArrayList<>();
    private final MetricsLog metrics;
    private final RunVisuals visuals;
    private final Position[] positions;
    private long round;
    private volatile boolean stopRequested;

    /**
     * The Spark settings the trainer relies on: Kryo with every travelling class registered (registration required),
     * so parameters move as flat float arrays and nothing is Java-serialized by accident.
     */
    public static org.apache.spark.SparkConf configure(org.apache.spark.SparkConf conf) {
        return conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", KryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true")
                .setIfMissing("spark.kryoserializer.buffer.max", "2047m")
                .setIfMissing("spark.task.maxFailures", "4");
    }

    /**
     * One executor per worker unless the configuration already says how many: {@code spark.executor.instances} on
     * YARN and Kubernetes, {@code spark.cores.max} on a standalone master (workers x {@code spark.executor.cores}).
     */
    public static org.apache.spark.SparkConf sizeExecutors(org.apache.spark.SparkConf conf, int workers) {
        String master = conf.get("spark.master", "local");
        if (master.startsWith("spark://")) {
            if (conf.contains("spark.executor.cores")) {
                conf.setIfMissing("spark.cores.max", String.valueOf(workers * conf.getInt("spark.executor.cores", 1)));
            }
        } else if (!master.startsWith("local")) {
            conf.setIfMissing("spark.executor.instances", String.valueOf(workers));
        }
        return conf;
    }

    /** Validates everything (config, data, teacher, run directory) before any round runs. */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig cfg, Options options) throws IOException {
        this.sc = sc;
        this.cfg = cfg;
        ClusterCheck.require(sc, cfg.run().workers());
        Configuration conf = sc.hadoopConfiguration();
        Network net = cfg.network();
        checkData(cfg, net, conf);
        this.files = new HadoopFiles(options.runDir(), conf);
        files.mkdirs(CHECKPOINTS);
        String latest = CheckpointIO.latest(files, CHECKPOINTS).orElse(null);
        if (latest != null) {
            checkSameRun(latest);
        }
        INDArray init = null;
        if (latest == null && cfg.methodSettings().kind() == MethodSettings.Kind.CD) {
            init = Teachers.parameters(cfg, conf); // the student starts as the teacher, as in the original
        }
        if (latest == null && options.warmStart() != null) {
            init = warmStart(options.warmStart(), conf);
        }
        if (latest == null && init == null && net instanceof Mlp m && m.config().latent() > 0) {
            ParamStore layout = DenoiserGraph.layout(m);
            init = Trainer.initialParams(cfg.trainerConfig(new HadoopLocations(conf)), layout);
            fitLatent(m, layout, init, conf);
        }
        this.trainer = new Trainer(cfg.trainerConfig(new HadoopLocations(conf)), net, cfg.methodSettings().kind() == MethodSettings.Kind.CD
                ? Teachers.load(cfg, conf) : null, init);
        this.positions = new Position[cfg.run().workers()];
        for (int w = 0; w < positions.length; w++) {
            positions[w] = Position.start(w);
        }
        this.metrics = new MetricsLog(files, METRICS);
        if (latest != null) {
            resume(latest);
        }
        this.visuals = new RunVisuals(cfg, files);
    }

    /** Whether a run directory holds a complete checkpoint (local or Hadoop URI). */
    public static boolean hasCheckpoint(String runDir) throws IOException {
        return CheckpointIO.latest(new HadoopFiles(runDir, new Configuration()), CHECKPOINTS).isPresent();
    }

    /** What the constructor did that a user should hear of (a fitted latent basis), one line each. */
    public List<String> startNotes() {
        return List.copyOf(startNotes);
    }

    public DistributedTrainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Asks the run to stop after the current round (and its checkpoint). */
    public void stop() {
        stopRequested = true;
    }

    public long step() {
        return trainer.stepCount();
    }

    public long round() {
        return round;
    }

    public Trainer trainer() {
        return trainer;
    }

    /** Runs rounds until the configured steps are done or {@link #stop} is called; returns the final step. */
    public long run() throws IOException {
        var run = cfg.run();
        long rounds = run.rounds();
        Broadcast<String> config = sc.broadcast(cfg.json());
        RoundExchange exchange = new RoundExchange(sc, config, new HadoopConf(sc.hadoopConfiguration()), run.workers(),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, run.transferChunkMb() * (1 << 20) / 4)));
        StepSchedule schedule = trainer.schedule();
        int failed = 0;
        double lastLoss = Double.NaN;
        long runStart = System.nanoTime();
        long roundsAtStart = round;
        while (trainer.stepCount() < run.steps() && !stopRequested) {
            long k = trainer.stepCount();
            int n = schedule == null ? 0 : schedule.n(k);
            double mu = schedule == null ? 0 : schedule.mu(k);
            sc.setJobDescription(String.format("round %d/%d k=%d N=%d loss=%.4g", round + 1, rounds, k, n, lastLoss));
            long t0 = System.nanoTime();
            RoundSum sum = exchange.run(new RoundState(round, k, run.localSteps(), null, null, null, positions.clone()),
                    trainer.params(), trainer.target() == null || mu == 0 ? null : trainer.target(),
                    trainer.optimizer().state());
            System.arraycopy(sum.positions, 0, positions, 0, positions.length);
            if (sum.nonFinite > 0) {
                failed++;
                for (TrainingListener l : listeners) {
                    l.onFailedRound(round + 1, sum.firstProblem, failed);
                }
                if (failed >= run.maxFailedRounds()) {
                    throw new IllegalStateException("stopping after " + failed + " consecutive rounds with a "
                            + "non-finite loss (last: " + sum.firstProblem + "); the last good checkpoint is intact");
                }
                continue; // parameters untouched: the round is retried with the workers' next minibatches
            }
            failed = 0;
            int h = (int) (sum.steps / sum.workers);
            float inv = 1f / sum.workers;
            try (INDArray p = sum.params.toNd4j().muli(inv); INDArray o = sum.optimizer.toNd4j().muli(inv)) {
                trainer.applyRound(p, o, h);
            }
            round++;
            lastLoss = sum.lossSum / sum.steps;
            double wall = (System.nanoTime() - t0) / 1e9;
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            double eta = elapsed / (round - roundsAtStart) * (rounds - round);
            RoundMetrics m = new RoundMetrics(round, rounds, trainer.stepCount(), lastLoss, n, mu,
                    trainer.optimizer().learningRate(Math.max(1, trainer.stepCount())),
                    (double) sum.steps * run.batchPerWorker() / wall, sum.maxComputeSeconds,
                    Math.max(0, wall - sum.maxComputeSeconds), eta);
            metrics.add(m);
            for (TrainingListener l : listeners) {
                l.onRound(m);
            }
            boolean last = trainer.stepCount() >= run.steps() || stopRequested;
            if (round % run.logEvery() == 0 || last) {
                metrics.flush();
            }
            if (round % run.checkpointEvery() == 0 || last) {
                checkpoint();
            }
            if ((run.sampleEvery() > 0 && round % run.sampleEvery() == 0) || last) {
                String png = visuals.write(trainer, metrics.history(), round);
                for (TrainingListener l : listeners) {
                    l.onSamples(png);
                }
            }
        }
        config.destroy();
        for (TrainingListener l : listeners) {
            l.onFinished(trainer.stepCount());
        }
        return trainer.stepCount();
    }

    private void checkpoint() throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        List<List<Long>> pos = new ArrayList<>();
        for (Position p : positions) {
            pos.add(List.of((long) p.worker(), p.epoch(), p.offset()));
        }
        extra.put("positions", pos);
        extra.put("workers", positions.length);
        Checkpoint c = trainer.checkpoint(round, extra, cfg.json());
        String dir = CheckpointIO.save(files, CHECKPOINTS, c);
        metrics.flush();
        for (TrainingListener l : listeners) {
            l.onCheckpoint(files.describe(dir));
        }
    }

    @SuppressWarnings("unchecked")
    private void resume(String dir) throws IOException {
        Checkpoint c = CheckpointIO.load(files, dir, DenoiserGraph.layout(cfg.network()).specs(), DataType.FLOAT);
        trainer.restore(c);
        round = c.round();
        List<List<Number>> pos = (List<List<Number>>) c.extra().get("positions");
        if (pos == null || pos.size() != positions.length) {
            throw new IllegalArgumentException("checkpoint " + files.describe(dir) + " was written with "
                    + (pos == null ? "no data positions" : pos.size() + " workers") + ", this run has "
                    + positions.length + " (resume with the same run.workers)");
        }
        for (int w = 0; w < positions.length; w++) {
            List<Number> p = pos.get(w);
            positions[w] = new Position(p.get(0).intValue(), p.get(1).longValue(), p.get(2).longValue());
        }
        metrics.truncateAfter(round);
    }

    private INDArray warmStart(String uri, Configuration conf) throws IOException {
        HadoopFiles from = new HadoopFiles(uri, conf);
        return CheckpointIO.load(from, CheckpointIO.newest(from, "--warm-start"), DenoiserGraph.layout(cfg.network()).specs(),
                DataType.FLOAT).model();
    }

    /** A run directory belongs to one run: same network, method, optimizer and data (run sizes may change). */
    private void checkSameRun(String latest) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> theirs = json.readValue(CheckpointIO.readConfig(files, latest), Map.class);
        Map<String, Object> ours = json.readValue(cfg.json(), Map.class);
        for (String section : List.of("network", "method", "optimizer", "data")) {
            if (!java.util.Objects.equals(theirs.get(section), ours.get(section))) {
                throw new IllegalArgumentException("run directory " + files.root() + " holds checkpoints of another run ("
                        + section + " differs); use a new --run-dir, or the same configuration to resume");
            }
        }
    }

    /** A fresh latent MLP's frozen PCA buffers, fitted on the driver from the first images of the shard set. */
    private void fitLatent(Mlp m, ParamStore layout, INDArray init, Configuration conf) throws IOException {
        long t0 = System.nanoTime();
        Batch b = ShardImages.read(cfg.data().path(), LATENT_FIT_IMAGES, conf);
        try (INDArray images = Nd4j.create(b.x(), b.shape(), 'c')) {
            Pca pca = Pca.fit(images, m.config().latent());
            m.writeLatent(pca, layout, init);
            startNotes.add(String.format(java.util.Locale.ROOT, "latent: top %d principal components of %d images keep "
                    + "%.1f%% of the variance (fitted in %.1f s)", pca.k(), images.size(0), 100 * pca.explained(),
                    (System.nanoTime() - t0) / 1e9));
        }
    }

    /** Images a latent MLP's PCA is fitted on (a 784 x 784 covariance is well determined by far fewer). */
    static final int LATENT_FIT_IMAGES = 20_000;

    private static void checkData(TrainConfig cfg, Network net, Configuration conf) throws IOException {
        if (cfg.data().kind() != DataSettings.Kind.SHARDS) {
            if (net.numClasses() > 0) {
                throw new IllegalArgumentException("the network is class-conditional (" + net.numClasses()
                        + " classes) but data.kind = " + ai.onestep.util.Records.enumSpelling(cfg.data().kind()) + " has no labels; use labelled shards");
            }
            return;
        }
        ShardSet set = ShardSet.open(cfg.data().path(), conf);
        Manifest m = set.manifest();
        if (m.count() < cfg.run().workers()) {
            throw new IllegalArgumentException("shard set " + cfg.data().path() + " holds " + m.count()
                    + " images, fewer than run.workers = " + cfg.run().workers());
        }
        long[] shape = net.sampleShape();
        if (shape.length == 3 && (shape[0] != m.channels() || shape[1] != m.resolution() || shape[2] != m.resolution())) {
            throw new IllegalArgumentException("shard set " + cfg.data().path() + " holds " + m.resolution() + "x"
                    + m.resolution() + "x" + m.channels() + " images, the network expects " + shape[1] + "x" + shape[2]
                    + "x" + shape[0]);
        }
        if (shape.length != 3) {
            throw new IllegalArgumentException("data.kind = shards needs an image network (a UNet, or an MLP with "
                    + "network.mlp.imageShape)");
        }
        if (net.numClasses() > 0 && m.classes().isEmpty()) {
            throw new IllegalArgumentException("the network is class-conditional (" + net.numClasses()
                    + " classes) but shard set " + cfg.data().path() + " has no labels");
        }
        if (net.numClasses() > 0 && m.classes().size() > net.numClasses()) {
            throw new IllegalArgumentException("shard set " + cfg.data().path() + " has " + m.classes().size()
                    + " classes, the network " + net.numClasses());
        }
    }

    @Override
    public void close() {
        trainer.close();
    }
}
