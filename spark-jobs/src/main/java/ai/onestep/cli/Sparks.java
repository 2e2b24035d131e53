package ai.onestep.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context of a command: the master given by --master, else the one spark-submit set, else embedded
 * {@code local[*]}.
 */
public final class Sparks {
    private Sparks() {
    }

    public static JavaSparkContext start(String app, String master) {
        return start(app, master, false);
    }

    /** @param training apply the trainer's Spark settings (Kryo, registration required) */
    public static JavaSparkContext start(String app, String master, boolean training) {
        return start(app, master, training, null);
    }

    /** @param properties a Spark properties file (conf/spark/*.conf) applied first, or null */
    static JavaSparkContext start(String app, String master, boolean training, java.nio.file.Path properties) {
        return start(app, master, training, properties, 0);
    }

    /**
     * @param workers a training run's {@code run.workers}: a cluster gets that many executors unless the properties
     *                say otherwise (0: not a training run)
     */
    static JavaSparkContext start(String app, String master, boolean training, java.nio.file.Path properties, int workers) {
        SparkConf conf = new SparkConf().setAppName(app);
        if (properties != null) {
            java.util.Properties p = new java.util.Properties();
            try (var in = java.nio.file.Files.newBufferedReader(properties)) {
                p.load(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read Spark properties " + properties + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k).trim()));
        }
        if (training) {
            ai.onestep.distributed.DistributedTrainer.configure(conf);
        }
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (workers > 0) {
            ai.onestep.distributed.DistributedTrainer.sizeExecutors(conf, workers);
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }

    /**
     * The driver's Hadoop configuration before a context exists: the cluster's files (HADOOP_CONF_DIR) with the
     * {@code spark.hadoop.*} properties spark-submit passed, as the context will see them.
     */
    static org.apache.hadoop.conf.Configuration hadoopConf() {
        return org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(new SparkConf());
    }

    /** A standalone master that does not answer is refused up front, with one line, instead of Spark's retries. */
    static void requireReachable(String master) {
        String m = master != null ? master : System.getProperty("spark.master");
        if (m == null || !m.startsWith("spark://")) {
            return;
        }
        for (String hostPort : m.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
            int port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 7077;
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), 5000);
                return;
            } catch (java.io.IOException e) {
                // try the next master of an HA list
            }
        }
        throw new IllegalArgumentException("cannot reach Spark master " + m);
    }
}
