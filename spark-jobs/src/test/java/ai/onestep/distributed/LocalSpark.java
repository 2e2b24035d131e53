package ai.onestep.distributed;

import org.apache.spark.api.java.JavaSparkContext;

/** The embedded Spark these tests train through, configured as the trainer configures a cluster's session. */
final class LocalSpark {
    private LocalSpark() {
    }

    static JavaSparkContext start(String app) {
        return new JavaSparkContext(DistributedTrainer.configure(ai.onestep.testing.LocalSpark.conf(app)));
    }
}
