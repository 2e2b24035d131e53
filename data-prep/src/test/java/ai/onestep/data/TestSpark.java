package ai.onestep.data;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** An embedded Spark (local[2]) for tests: no UI, loopback only. */
public final class TestSpark {
    private TestSpark() {
    }

    public static JavaSparkContext start(String name) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.task.maxFailures", "2");
        return new JavaSparkContext(conf);
    }
}
