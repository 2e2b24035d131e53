package ai.onestep.dist;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The -all jar on a standalone cluster of a Spark 3.5 distribution (master, workers and drivers started through
 * the distribution's launcher), submitted as the README writes it, with conf/spark/standalone-cpu.conf: in client
 * mode a short CT run finishes, and killing an executor, the driver, or the driver in the middle of a checkpoint
 * write does not change the final parameters (against the undisturbed run, to 1e-5); in cluster mode the driver runs
 * on a worker and ends FINISHED; bad input is refused with one line and nothing written.
 */
class ClusterIT {
    static final String PROFILE = SparkDistribution.CONF.resolve("spark/standalone-cpu.conf").toString();
    static final List<String> RUN = List.of("run.steps=40", "run.localSteps=1", "run.workers=2", "run.batchPerWorker=64",
            "run.checkpointEvery=10", "run.logEvery=1", "run.sampleEvery=0", "run.seed=3");

    @TempDir
    static Path tmp;
    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new StandaloneCluster(new SparkDistribution(tmp.resolve("spark")), 3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The README's spark-submit line for a standalone cluster, with this machine's sizes: one-core workers with
     * 3 GB, so one core per executor and task, and the profile's JVM options with small JavaCPP caps.
     */
    static List<String> submitArgs(String deployMode, List<String> jobArgs) throws Exception {
        List<String> a = new ArrayList<>(List.of("--master", cluster.url(), "--deploy-mode", deployMode,
                "--properties-file", PROFILE,
                "--conf", "spark.executor.cores=1", "--conf", "spark.task.cpus=1",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.driver.memory=1g", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + smallCaps(profile("spark.executor.extraJavaOptions")),
                "--conf", "spark.driver.extraJavaOptions=" + smallCaps(profile("spark.driver.extraJavaOptions"))));
        if (deployMode.equals("cluster")) {
            a.addAll(List.of("--conf", "spark.standalone.submit.waitAppCompletion=true"));
        }
        a.addAll(List.of("--class", "ai.onestep.cli.OneStep", SparkDistribution.ALL_JAR.toUri().toString()));
        a.addAll(jobArgs);
        return a;
    }

    static String profile(String key) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of(PROFILE))) {
            p.load(in);
        }
        return p.getProperty(key).trim();
    }

    static String smallCaps(String options) {
        return options.replaceAll("maxbytes=\\S+", "maxbytes=1G").replaceAll("maxphysicalbytes=\\S+", "maxphysicalbytes=2G");
    }

    static List<String> train(Path runDir, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--conf", "preset:toy2d-ct", "--run-dir", runDir.toUri().toString()));
        a.addAll(RUN);
        a.addAll(List.of(more));
        return a;
    }

    static Process client(Path log, List<String> job) throws Exception {
        return cluster.submit(log, submitArgs("client", job));
    }

    static int finish(Process p, Path log) throws Exception {
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("spark-submit did not finish; log: " + Files.readString(log));
        }
        return p.exitValue();
    }

    @Test
    void clientModeSurvivesKilledExecutorsDriversAndCheckpointWrites() throws Exception {
        // undisturbed
        Path a = tmp.resolve("a");
        Path logA = tmp.resolve("a.log");
        assertEquals(0, finish(client(logA, train(a)), logA), Files.readString(logA));
        assertTrue(Files.readString(logA).contains("train: done at step 40"), Files.readString(logA));
        assertTrue(Files.exists(a.resolve("checkpoints/step-000000040/model.npz")));
        INDArray reference = RunDirs.finalParams(a);

        // kill -9 one worker and its executor mid-run: the lost task is rerun elsewhere, the result is unchanged
        Path b = tmp.resolve("b");
        Path logB = tmp.resolve("b.log");
        Process driverB = client(logB, train(b));
        SparkDistribution.waitFor(logB, "round 15/40", 1, Duration.ofMinutes(3));
        cluster.killWorker(0);
        assertEquals(0, finish(driverB, logB), Files.readString(logB));
        RunDirs.assertClose(reference, RunDirs.finalParams(b), "after losing an executor");
        cluster.addWorker();

        // kill -9 the driver mid-run, then --resume
        Path c = tmp.resolve("c");
        Path logC = tmp.resolve("c.log");
        Process driverC = client(logC, train(c));
        SparkDistribution.waitFor(logC, "round 25/40", 1, Duration.ofMinutes(3));
        driverC.descendants().forEach(ProcessHandle::destroyForcibly);
        driverC.destroyForcibly();
        driverC.waitFor();
        assertFalse(Files.readString(logC).contains("done at step"));
        Path logC2 = tmp.resolve("c2.log");
        assertEquals(0, finish(client(logC2, train(c, "--resume")), logC2), Files.readString(logC2));
        assertTrue(Files.readString(logC2).contains("resuming"), Files.readString(logC2));
        RunDirs.assertClose(reference, RunDirs.finalParams(c), "after killing the driver and resuming");

        // the driver dies in the middle of writing the step-30 checkpoint (after its model file, before the rest and
        // the commit): step 20 stays the one in use. The run directory is given through CrashingFileSystem.
        Path d = tmp.resolve("d");
        Path logD = tmp.resolve("d.log");
        List<String> crash = new ArrayList<>(train(d));
        crash.set(crash.indexOf("--run-dir") + 1, "crashfs://" + d.toAbsolutePath());
        List<String> crashArgs = submitArgs("client", crash);
        crashArgs.addAll(crashArgs.indexOf("--class"), List.of("--driver-class-path", crashJar().toString(),
                "--conf", "spark.hadoop.fs.crashfs.impl=" + CrashingFileSystem.class.getName(),
                "--conf", "spark.hadoop.onestep.crash.pathRegex=.*/\\.step-000000030\\.tmp[^/]*/(target|optimizer|ema-).*"));
        Process driverD = cluster.submit(logD, crashArgs);
        assertEquals(137, finish(driverD, logD), Files.readString(logD));
        assertEquals("step-000000020", Files.readString(d.resolve("checkpoints/latest")).trim());
        try (Stream<Path> s = Files.list(d.resolve("checkpoints"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith(".step-000000030.tmp")),
                    "the interrupted write leaves only a hidden temporary directory");
        }
        assertFalse(Files.exists(d.resolve("checkpoints/step-000000030")));
        Path logD2 = tmp.resolve("d2.log");
        assertEquals(0, finish(client(logD2, train(d, "--resume")), logD2), Files.readString(logD2));
        assertTrue(Files.readString(logD2).contains("resuming " + d.toUri().toString().replaceAll("/$", "")),
                Files.readString(logD2));
        RunDirs.assertClose(reference, RunDirs.finalParams(d), "after a crash during a checkpoint write");
    }

    @Test
    void clusterModeRunsTheDriverOnAWorkerAndEndsFinished() throws Exception {
        Path e = tmp.resolve("e");
        Path log = tmp.resolve("e.log");
        List<String> job = new ArrayList<>(train(e));
        job.set(job.indexOf("run.steps=40"), "run.steps=20");
        assertEquals(0, finish(cluster.submit(log, submitArgs("cluster", job)), log), Files.readString(log));
        assertTrue(Files.exists(e.resolve("checkpoints/step-000000020/model.npz")), Files.readString(log));
        String state = cluster.state();
        assertTrue(state.matches("(?s).*\"completeddrivers\"\\s*:\\s*\\[.*\"state\"\\s*:\\s*\"FINISHED\".*"), state);
        assertFalse(state.contains("\"state\" : \"FAILED\"") || state.contains("\"state\":\"FAILED\""), state);
        String driverOut = driverStdout();
        assertTrue(driverOut.contains("train: done at step 20"), driverOut);
    }

    @Test
    void badInputIsRefusedWithOneLineAndNothingWritten() throws Exception {
        assertRefused("fewer task slots than workers", train(tmp.resolve("f"), "run.workers=5"), List.of(),
                "the cluster runs 3 task(s) at once but run.workers = 5");
        assertRefused("a preset that does not exist", List.of("train", "--conf", "preset:no-such-preset", "--run-dir",
                tmp.resolve("g").toUri().toString()), List.of(), "no preset 'no-such-preset' in the jar");
        assertRefused("a preset URI that does not exist", List.of("train", "--conf", tmp.resolve("nothing.conf").toUri().toString(),
                "--run-dir", tmp.resolve("h").toUri().toString()), List.of(), "config file does not exist");
        assertRefused("a profile without the CPU path's options", train(tmp.resolve("i")),
                List.of("--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1G"),
                "spark.executor.extraJavaOptions lacks --add-modules=jdk.incubator.vector");
    }

    private void assertRefused(String what, List<String> job, List<String> confOverrides, String message) throws Exception {
        Path log = tmp.resolve(what.replace(' ', '-') + ".log");
        List<String> args = submitArgs("client", job);
        args.addAll(args.indexOf("--class"), confOverrides);
        int code = finish(cluster.submit(log, args), log);
        String out = Files.readString(log);
        assertEquals(2, code, what + ": " + out);
        List<String> lines = out.lines().filter(l -> l.startsWith("onestep: ")).toList();
        assertEquals(1, lines.size(), what + ": " + out);
        assertTrue(lines.get(0).contains(message), what + ": " + lines.get(0));
        int at = job.indexOf("--run-dir");
        Path runDir = Path.of(java.net.URI.create(job.get(at + 1)));
        assertFalse(Files.exists(runDir), what + ": " + runDir + " was created");
    }

    /** A jar of {@link CrashingFileSystem} alone, for the driver's class path. */
    private static Path crashJar() throws Exception {
        Path jar = tmp.resolve("crashfs.jar");
        if (!Files.exists(jar)) {
            String entry = CrashingFileSystem.class.getName().replace('.', '/') + ".class";
            Path classes = Path.of(CrashingFileSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                Files.copy(classes.resolve(entry), out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private String driverStdout() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(tmp.resolve("spark"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stdout")
                    && p.getParent().getFileName().toString().startsWith("driver-")).toList()) {
                out.append(Files.readString(f));
            }
        }
        return out.toString();
    }
}
