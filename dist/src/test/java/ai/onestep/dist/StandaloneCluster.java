package ai.onestep.dist;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1 from a {@link SparkDistribution}: a Master and Workers started as
 * sbin/start-master.sh and sbin/start-worker.sh start them (through spark-class), each a JVM of its own that can be
 * killed as kill -9 would.
 */
final class StandaloneCluster implements AutoCloseable {
    /** Executor environment of the CPU profiles, which the workers pass on. */
    private final SparkDistribution spark;
    private final int port;
    private final int webUi;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> submitted = new ArrayList<>();

    StandaloneCluster(SparkDistribution spark, int workerCount) throws IOException, InterruptedException {
        this.spark = spark;
        this.port = SparkDistribution.freePort();
        this.webUi = SparkDistribution.freePort();
        master = spark.sparkClass(spark.home.resolve("master.log"), Map.of(), "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUi)));
        SparkDistribution.waitFor(spark.home.resolve("master.log"), "I have been elected leader", 1, Duration.ofSeconds(60));
        for (int i = 0; i < workerCount; i++) {
            addWorker();
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Starts one more worker (1 core, 3 GB) and waits until the master has registered it. */
    void addWorker() throws IOException, InterruptedException {
        int n = workers.size();
        workers.add(spark.sparkClass(spark.home.resolve("worker" + n + ".log"), Map.of(),
                "org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "3g",
                        "--webui-port", String.valueOf(SparkDistribution.freePort()),
                        "--work-dir", spark.home.resolve("work" + n).toString(), url())));
        SparkDistribution.waitFor(spark.home.resolve("master.log"), "Registering worker", workers.size(), Duration.ofSeconds(60));
    }

    /** kill -9 a worker and the executor (or driver) it launched. */
    void killWorker(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    /** spark-submit ARGS; the process's output goes to log. */
    Process submit(Path log, List<String> args) throws IOException {
        Process p = spark.submit(log, Map.of(), args);
        submitted.add(p);
        return p;
    }

    /** The master's state as JSON (its web UI's /json endpoint): workers, applications, drivers. */
    String state() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Override
    public void close() {
        for (Process p : submitted) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}
