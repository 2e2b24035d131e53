package ai.onestep.dist;

import ai.onestep.testing.MiniHdfs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The -all jar submitted to YARN in cluster mode, as the README writes it with conf/spark/yarn-cpu.conf, from a Spark
 * 3.5 distribution: Hadoop's MiniYARNCluster and MiniDFSCluster run in this JVM, spark-submit uploads the
 * distribution's jars and the -all jar to HDFS, the driver runs in YARN's application master container and two
 * executors in containers of their own. The application must end FINISHED/SUCCEEDED with its checkpoints in HDFS.
 */
class YarnIT {
    @TempDir
    Path tmp;

    @Test
    void clusterModeEndsSucceededWithCheckpointsInHdfs() throws Exception {
        MiniHdfs dfs = new MiniHdfs(tmp.resolve("dfs"));
        YarnConfiguration yarnConf = new YarnConfiguration();
        yarnConf.set("fs.defaultFS", dfs.uri());
        yarnConf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 8192); // the minicluster's own key, default 4 GB
        yarnConf.setInt(YarnConfiguration.NM_VCORES, 4);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // one first-in-first-out queue (the shaded minicluster ships no capacity-scheduler.xml)
        yarnConf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        MiniYARNCluster yarn = new MiniYARNCluster("onestep", 1, 1, 1);
        try {
            yarn.init(yarnConf);
            yarn.start();
            Path hadoopConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
            Configuration clusterConf = new Configuration(yarn.getConfig());
            clusterConf.set("fs.defaultFS", dfs.uri());
            try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("core-site.xml"))) {
                clusterConf.writeXml(out);
            }
            try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
                clusterConf.writeXml(out);
            }
            String runDir = dfs.uri() + "/runs/toy2d";
            SparkDistribution spark = new SparkDistribution(tmp.resolve("spark"));
            Path log = tmp.resolve("submit.log");
            Process submit = spark.submit(log, Map.of("HADOOP_CONF_DIR", hadoopConf.toString()), submitArgs(runDir));
            if (!submit.waitFor(10, TimeUnit.MINUTES)) {
                submit.destroyForcibly();
                throw new IllegalStateException("spark-submit did not finish: " + Files.readString(log));
            }
            assertEquals(0, submit.exitValue(), Files.readString(log));

            try (YarnClient client = YarnClient.createYarnClient()) {
                client.init(clusterConf);
                client.start();
                List<ApplicationReport> apps = client.getApplications();
                assertEquals(1, apps.size(), apps.toString());
                assertEquals(YarnApplicationState.FINISHED, apps.get(0).getYarnApplicationState(), apps.toString());
                assertEquals(FinalApplicationStatus.SUCCEEDED, apps.get(0).getFinalApplicationStatus(), apps.toString());
            }
            FileSystem fs = dfs.fileSystem();
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(runDir + "/checkpoints/step-000000020/model.npz")),
                    Files.readString(log));
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(runDir + "/metrics.jsonl")));
        } finally {
            yarn.stop();
            dfs.close();
        }
    }

    /** The README's YARN line with this machine's sizes (1 GB containers, one core per executor, small caps). */
    static List<String> submitArgs(String runDir) throws Exception {
        String profile = SparkDistribution.CONF.resolve("spark/yarn-cpu.conf").toString();
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(Path.of(profile))) {
            p.load(in);
        }
        List<String> a = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster",
                "--properties-file", profile,
                "--conf", "spark.executor.cores=1", "--conf", "spark.task.cpus=1",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executor.memoryOverhead=512m", "--conf", "spark.driver.memory=1g",
                "--conf", "spark.driver.memoryOverhead=512m", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                // containers start slowly on a busy 2-core machine: give the slot check time to see both executors
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--conf", "spark.executor.extraJavaOptions="
                        + ClusterIT.smallCaps(p.getProperty("spark.executor.extraJavaOptions").trim()),
                "--conf", "spark.driver.extraJavaOptions="
                        + ClusterIT.smallCaps(p.getProperty("spark.driver.extraJavaOptions").trim()),
                "--class", "ai.onestep.cli.OneStep", SparkDistribution.ALL_JAR.toString(),
                "train", "--conf", "preset:toy2d-ct", "--run-dir", runDir, "run.steps=20", "run.localSteps=1",
                "run.workers=2", "run.batchPerWorker=64", "run.checkpointEvery=10", "run.logEvery=1",
                "run.sampleEvery=0", "run.seed=3"));
        return a;
    }
}
