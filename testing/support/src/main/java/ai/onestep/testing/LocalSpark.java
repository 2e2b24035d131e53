package ai.onestep.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** An embedded Spark for tests: local[2] (two tasks at once), no UI, loopback only. Needs spark-core on the test path. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static SparkConf conf(String app) {
        return new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    public static JavaSparkContext start(String app) {
        return new JavaSparkContext(conf(app));
    }
}
