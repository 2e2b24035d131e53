package ai.onestep.data.prep;

import ai.onestep.testing.MiniHdfs;
import ai.onestep.files.HadoopConf;
import ai.onestep.testing.LocalSpark;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.source.FolderSource;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.MinibatchStream;
import ai.onestep.data.stream.Position;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prep job reading and writing hdfs:// URIs on a real (in-process) HDFS, and the shards read back. */
class HdfsPrepTest {
    @TempDir
    Path tmp;

    @Test
    void prepFromAndToHdfs() throws Exception {
        Configuration conf = new Configuration();
        JavaSparkContext sc = null;
        try (MiniHdfs dfs = new MiniHdfs(tmp.resolve("dfs"))) {
            String hdfs = dfs.uri();
            FileSystem fs = dfs.fileSystem();
            Path local = PrepJobTest.makeFolder(Files.createDirectories(tmp.resolve("in")));
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(hdfs + "/data/in"));

            sc = LocalSpark.start("hdfs-prep");
            PrepConfig cfg = PrepConfig.of(new FolderSource(hdfs + "/data/in", true), hdfs + "/data/shards", 16)
                    .withShardBytes(4 * 768);
            Manifest m = PrepJob.run(sc, PrepJob.plan(cfg, sc.hadoopConfiguration()));
            assertEquals(14, m.count());
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(hdfs + "/data/shards/_manifest.json")));

            ShardSet set = ShardSet.open(hdfs + "/data/shards", conf);
            assertTrue(set.files().get(0).toString().startsWith("hdfs://"), set.files().get(0).toString());
            Set<String> keys = new HashSet<>();
            try (MinibatchStream s = new MinibatchStream(set, new HadoopConf(conf),
                    new MinibatchStream.Options(0, 1, 7, false, 1L, 2), Position.start(0))) {
                Batch b1 = s.next();
                Batch b2 = s.next();
                keys.addAll(List.of(b1.keys()));
                keys.addAll(List.of(b2.keys()));
                assertEquals(3, b1.channels());
            }
            assertEquals(14, keys.size());
        } finally {
            if (sc != null) {
                sc.stop();
            }
        }
    }
}
