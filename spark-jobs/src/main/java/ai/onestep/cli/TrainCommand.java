package ai.onestep.cli;

import ai.onestep.files.HadoopLocations;
import ai.onestep.conf.PresetSource;
import ai.onestep.conf.TrainConfig;
import ai.onestep.distributed.DistributedTrainer;
import ai.onestep.distributed.Plan;
import ai.onestep.distributed.RoundMetrics;
import ai.onestep.distributed.TrainingListener;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code onestep train --conf FILE [key=value ...]}: EDM, CD or CT on Spark (the distributed trainer). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
                "Trains on Spark: EDM teacher, consistency distillation (CD) or consistency training (CT).",
                "The driver averages parameters every run.localSteps steps and keeps the target, EMAs and "
                        + "schedules; a run directory holds checkpoints/, metrics.jsonl, samples/ and loss.png. A run "
                        + "directory with a checkpoint is resumed automatically."})
final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--conf", required = true, description = "HOCON preset: preset:NAME (shipped in the jar, e.g. "
            + "preset:imagenet64-ct), a Hadoop URI (hdfs://, s3a://, file://) or a local file, e.g. conf/toy2d-ct.conf")
    String conf;

    @Parameters(description = "overrides: key=value, e.g. run.steps=2000 optimizer.lr=2e-4")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--run-dir", description = "run directory URI (default: checkpoints/<preset name>)")
    String runDir;

    @Option(names = "--resume", description = "require a checkpoint in the run directory and continue from it")
    boolean resume;

    @Option(names = "--warm-start", description = "initialise the parameters from another run's checkpoint")
    String warmStart;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--spark-conf", description = "Spark properties file, e.g. conf/spark/local.conf")
    Path sparkConf;

    @Option(names = "--dry-run", description = "print the resolved configuration and the plan, then stop")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.load(conf, overrides, new HadoopLocations(Sparks.hadoopConf()));
        Plan plan = Plan.of(cfg);
        if (dryRun) {
            out().println(cfg.pretty());
            out().print(plan.describe());
            plan.requireFits();
            return 0;
        }
        plan.requireFits();
        String dir = runDir != null ? runDir : defaultRunDir();
        if (resume && !DistributedTrainer.hasCheckpoint(dir)) {
            throw new IllegalArgumentException("--resume: no checkpoint in " + dir);
        }
        Sparks.requireReachable(master);
        try (JavaSparkContext sc = Sparks.start("onestep train " + PresetSource.name(conf), master, true, sparkConf,
                cfg.run().workers());
             DistributedTrainer t = new DistributedTrainer(sc, cfg, new DistributedTrainer.Options(dir, warmStart))) {
            t.startNotes().forEach(out()::println);
            if (t.step() > 0) {
                out().println("train: resuming " + dir + " at step " + t.step());
            }
            t.addListener(new TrainingListener() {
                @Override
                public void onRound(RoundMetrics m) {
                    if (m.round() % cfg.run().logEvery() == 0 || m.step() >= cfg.run().steps()) {
                        out().println(m.progressLine());
                    }
                }

                @Override
                public void onFailedRound(long round, String problem, int consecutive) {
                    out().println("train: discarded " + problem + " (" + consecutive + " in a row); retrying");
                }

                @Override
                public void onCheckpoint(String where) {
                    out().println("train: checkpoint " + where);
                }

                @Override
                public void onSamples(String png) {
                    out().println("train: samples " + png);
                }
            });
            long k = t.run();
            out().println("train: done at step " + k + "; run directory " + dir);
        }
        return 0;
    }

    private String defaultRunDir() {
        String name = PresetSource.name(conf);
        return Path.of(System.getProperty("onestep.home", ".")).resolve("checkpoints").resolve(name).toString();
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
