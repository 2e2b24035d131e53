package ai.onestep.distributed;

import ai.onestep.testing.MiniHdfs;
import ai.onestep.conf.TrainConfig;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints and metrics through the Hadoop FileSystem API on a real (in-process) HDFS, and a resume from it. */
class HdfsTrainTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void trainsWithItsRunDirectoryOnHdfsAndResumes() throws Exception {
        JavaSparkContext sc = LocalSpark.start("hdfs-train");
        try (MiniHdfs dfs = new MiniHdfs(tmp.resolve("dfs"))) {
            String run = dfs.uri() + "/runs/toy";
            TrainConfig cfg = TrainConfig.parse(DistributedTrainerTest.TOY, List.of("run.workers=2", "run.steps=8",
                    "run.checkpointEvery=2"));
            try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(run))) {
                d.addListener(new TrainingListener() {
                    @Override
                    public void onRound(RoundMetrics m) {
                        if (m.round() == 4) {
                            d.stop();
                        }
                    }
                });
                assertEquals(4, d.run());
            }
            FileSystem fs = dfs.fileSystem();
            assertTrue(fs.exists(new Path(run + "/checkpoints/step-000000004/checksums.sha256")));
            assertTrue(fs.exists(new Path(run + "/metrics.jsonl")));
            assertTrue(fs.exists(new Path(run + "/loss.png")));
            try (DistributedTrainer d = new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(run))) {
                assertEquals(4, d.step());
                assertEquals(8, d.run());
            }
            assertTrue(fs.exists(new Path(run + "/checkpoints/step-000000008/model.npz")));
        } finally {
            sc.stop();
        }
    }
}
