package ai.onestep.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SPARK_HOME whose jars/ holds exactly a Spark 3.5 distribution's jars (testing/spark-home, nothing of OneStep's),
 * run as bin/spark-class runs it: {@code org.apache.spark.launcher.Main} builds each command (printed NUL-separated)
 * and the command is then started as its own process, with the environment load-spark-env.sh would give it.
 */
final class SparkDistribution {
    static final Path ALL_JAR = Path.of(require("onestep.allJar"));
    static final Path CONF = Path.of(require("onestep.conf"));
    private static final Path JARS = Path.of(require("onestep.sparkJars"));

    final Path home;

    SparkDistribution(Path home) throws IOException {
        this.home = Files.createDirectories(home);
        Files.createDirectories(home.resolve("conf"));
        if (!Files.isDirectory(JARS)) {
            throw new IllegalStateException("no Spark distribution jars at " + JARS + " (built by testing/spark-home)");
        }
        Files.createSymbolicLink(home.resolve("jars"), JARS);
    }

    /** bin/spark-class CLASS ARGS: the launcher's command, started with its output in log. */
    Process sparkClass(Path log, Map<String, String> env, String mainClass, List<String> args) throws IOException {
        List<String> launcher = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", home.resolve("jars") + "/*",
                "org.apache.spark.launcher.Main", mainClass));
        launcher.addAll(args);
        ProcessBuilder pb = withEnv(new ProcessBuilder(launcher), env);
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("org.apache.spark.launcher.Main failed for " + mainClass + " " + args);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return withEnv(new ProcessBuilder(command(new String(out, StandardCharsets.UTF_8))), env)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The launcher's output read as bin/spark-class reads it: lines of messages up to a line holding a lone NUL, then
     * the command's arguments, each ended by a NUL.
     */
    static List<String> command(String launcherOutput) {
        String text = "\n" + launcherOutput;
        int marker = text.indexOf("\n\0\n");
        if (marker < 0) {
            throw new IllegalStateException("no command in the launcher's output: " + launcherOutput);
        }
        List<String> command = new ArrayList<>();
        for (String part : text.substring(marker + 3).split("\0")) {
            if (!part.isEmpty()) {
                command.add(part);
            }
        }
        return command;
    }

    /** bin/spark-submit ARGS. */
    Process submit(Path log, Map<String, String> env, List<String> args) throws IOException {
        return sparkClass(log, env, "org.apache.spark.deploy.SparkSubmit", args);
    }

    private ProcessBuilder withEnv(ProcessBuilder pb, Map<String, String> env) {
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12"); // what load-spark-env.sh sets in a distribution
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        return pb.directory(home.toFile());
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code text} appears {@code count} times in a log file. */
    static void waitFor(Path log, String text, int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (occurrences(log, text) >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("'" + text + "' x" + count + " did not appear in " + log + " within " + timeout
                + (Files.exists(log) ? ":\n" + Files.readString(log) : ""));
    }

    static int occurrences(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        String s = Files.readString(log);
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private static String require(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (dist/pom.xml's failsafe "
                    + "configuration sets it; run through mvn verify)");
        }
        return v;
    }
}
