package ai.onestep.distributed;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run needs of its cluster, checked before anything is written: enough task slots for every worker at once
 * (otherwise each round would run in waves), and on a CPU cluster the executor options the training path relies on.
 * Local masters run workers as threads of one JVM and are not checked.
 */
final class ClusterCheck {
    /** Executor JVM options every cluster profile sets: the JavaCPP cap (ND4J's arrays live off-heap). */
    static final String NATIVE_CAP = "-Dorg.bytedeco.javacpp.maxbytes=";
    /** What CPU executors need besides: the Vector API module of OneStep's Java kernels. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private ClusterCheck() {
    }

    static void require(JavaSparkContext sc, int workers) {
        SparkConf conf = sc.getConf();
        if (conf.get("spark.master", "local").startsWith("local")) {
            return;
        }
        requireOptions(conf);
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new IllegalArgumentException("training needs its " + workers + " executors' task slots all the time: "
                    + "set spark.dynamicAllocation.enabled=false (the conf/spark profiles do)");
        }
        long waitMs = Math.max(30_000, conf.getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s"));
        int slots = slots(sc, waitMs, workers);
        if (slots < workers) {
            throw new IllegalArgumentException("the cluster runs " + slots + " task(s) at once but run.workers = "
                    + workers + ": give it " + workers + " task slots (executors x spark.executor.cores / "
                    + "spark.task.cpus, or GPUs / spark.task.resource.gpu.amount), or lower run.workers");
        }
    }

    /** The executor options a profile must set; one line naming what is missing. */
    static void requireOptions(SparkConf conf) {
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        boolean gpu = conf.getDouble("spark.executor.resource.gpu.amount", 0) > 0;
        List<String> missing = new ArrayList<>();
        if (!opts.contains(NATIVE_CAP)) {
            missing.add(NATIVE_CAP + "SIZE");
        }
        if (!gpu && !opts.contains(VECTOR_MODULE)) {
            missing.add(VECTOR_MODULE);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("spark.executor.extraJavaOptions lacks " + String.join(" and ", missing)
                    + " (use a profile of conf/spark/, e.g. --properties-file conf/spark/standalone-cpu.conf)");
        }
    }

    /** Task slots of the executors registered within {@code waitMs}, waiting no longer than enough are there. */
    private static int slots(JavaSparkContext sc, long waitMs, int wanted) {
        var profile = sc.sc().resourceProfileManager().defaultResourceProfile();
        long end = System.nanoTime() + waitMs * 1_000_000;
        int slots = sc.sc().maxNumConcurrentTasks(profile);
        while (slots < wanted && System.nanoTime() < end) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = sc.sc().maxNumConcurrentTasks(profile);
        }
        return slots;
    }
}
