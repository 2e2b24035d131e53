package ai.onestep.distributed;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The embedded Spark these tests train through: local[2] (two workers' tasks at once), no UI, loopback only. */
final class LocalSpark {
    private LocalSpark() {
    }

    static JavaSparkContext start(String app) {
        return new JavaSparkContext(DistributedTrainer.configure(new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")));
    }
}
