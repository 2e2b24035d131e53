package ai.onestep.distributed;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 made from the Maven jars: a SPARK_HOME whose jars/ holds every jar of
 * the test class path plus OneStep's own classes as one jar, a Master and Workers as separate JVMs, and SparkSubmit
 * drivers. Processes can be killed with the equivalent of kill -9.
 */
final class StandaloneCluster implements AutoCloseable {
    final Path home;
    final Path appJar;
    final int port;
    final String opens;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();

    StandaloneCluster(Path dir, int workerCount) throws IOException, InterruptedException {
        this.home = dir;
        this.opens = System.getProperty("onestep.opens", "");
        Path jars = Files.createDirectories(dir.resolve("jars"));
        List<Path> classDirs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                if (p.toString().endsWith("classes") && !p.toString().endsWith("test-classes")) {
                    classDirs.add(p);
                }
            } else if (e.endsWith(".jar") && Files.exists(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        this.appJar = jars.resolve("onestep-app.jar");
        jar(classDirs, appJar);
        this.port = freePort();
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        for (int i = 0; i < workerCount; i++) {
            addWorker();
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Starts one more worker (1 core) and waits until the master has registered it. */
    Process addWorker() throws IOException, InterruptedException {
        int n = workers.size();
        Process w = start("worker" + n, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                home.resolve("work" + n).toString(), url());
        workers.add(w);
        waitFor(home.resolve("master.log"), "Registering worker", workers.size(), Duration.ofSeconds(60));
        return w;
    }

    /** kill -9 a worker and the executor it launched. */
    void killWorker(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    /** Runs {@code onestep <args>} through SparkSubmit against this cluster; output goes to log. */
    Process submit(Path log, List<String> driverProps, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g"));
        cmd.addAll(split(opens));
        cmd.addAll(driverProps);
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", url(), "--deploy-mode", "client", "--class", "ai.onestep.cli.OneStep",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + opens
                        + " -Dorg.bytedeco.javacpp.maxbytes=1G -Dorg.bytedeco.javacpp.maxphysicalbytes=2G",
                appJar.toString()));
        cmd.addAll(List.of(args));
        Process p = builder(cmd).redirectOutput(log.toFile()).start();
        others.add(p);
        return p;
    }

    static void waitFor(Path log, String text, int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                String s = Files.readString(log);
                int n = 0;
                for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
                    n++;
                }
                if (n >= count) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("'" + text + "' x" + count + " did not appear in " + log + " within " + timeout);
    }

    private Process start(String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m"));
        cmd.addAll(split(opens));
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", main));
        cmd.addAll(List.of(args));
        return builder(cmd).redirectOutput(home.resolve(name + ".log").toFile()).start();
    }

    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("MALLOC_ARENA_MAX", "1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE"); // as bin/onestep: executors run Java kernels between ND4J ops
        return pb;
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void jar(List<Path> dirs, Path out) throws IOException {
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(out))) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Path d : dirs) {
                try (Stream<Path> files = Files.walk(d)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = d.relativize(f).toString().replace(File.separatorChar, '/');
                        if (seen.add(name)) {
                            j.putNextEntry(new JarEntry(name));
                            Files.copy(f, j);
                            j.closeEntry();
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        for (Process p : others) {
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
