package ai.onestep.distributed;

import ai.onestep.conf.TrainConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
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
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        JavaSparkContext sc = LocalSpark.start("hdfs-train");
        try {
            cluster.waitActive();
            String run = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/runs/toy";
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
            FileSystem fs = cluster.getFileSystem();
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
            cluster.shutdown();
        }
    }
}
