package ai.onestep.serve;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code onestep serve}: the interactive demo (docs/demo.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the web demo: a page to generate and edit images with any checkpoint, and its HTTP API",
                "(GET /api/checkpoints, POST /api/generate, POST /api/edit; docs/demo.md).",
                "Checkpoints are the sub-directories of --checkpoints (checkpoint or run directories), chosen by name.",
                "Binds to 127.0.0.1 unless --host says otherwise; Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoints", description = "directory (URI) whose sub-directories are the offered checkpoints "
            + "(default: the project's checkpoints/)")
    String checkpoints;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE}; "
            + "0.0.0.0 exposes the demo to the network)")
    String host;

    @Option(names = "--port", defaultValue = "7860", description = "port (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port;

    @Option(names = "--max-images", defaultValue = "64", description = "images per request (default: ${DEFAULT-VALUE})")
    int maxImages;

    @Option(names = "--max-steps", defaultValue = "100", description = "network evaluations per image (default: ${DEFAULT-VALUE})")
    int maxSteps;

    @Option(names = "--max-resolution", defaultValue = "512", description = "largest model side served (default: ${DEFAULT-VALUE})")
    int maxResolution;

    @Option(names = "--max-upload-bytes", defaultValue = "4194304", description = "bytes per uploaded image (default: ${DEFAULT-VALUE})")
    long maxUploadBytes;

    @Option(names = "--max-upload-pixels", defaultValue = "4194304", description = "pixels per uploaded image (default: ${DEFAULT-VALUE})")
    long maxUploadPixels;

    @Option(names = "--queue", defaultValue = "2", description = "requests waiting per checkpoint before 429 (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--max-loaded", defaultValue = "4", description = "checkpoints kept in memory (default: ${DEFAULT-VALUE})")
    int maxLoaded;

    @Override
    public Integer call() throws Exception {
        Limits limits;
        try {
            limits = new Limits(maxUploadBytes, maxUploadPixels, maxSteps, maxImages, maxResolution, queue, maxLoaded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("serve: " + e.getMessage(), e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("serve: --port must be in 0..65535 (got " + port + ")");
        }
        String dir = checkpoints != null ? checkpoints : System.getProperty("onestep.home", ".") + "/checkpoints";
        ModelStudio studio = new ModelStudio(dir, limits.maxLoaded());
        int listed;
        try {
            listed = studio.checkpoints().size();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("serve: " + e.getMessage(), e);
        }
        DemoServer server = DemoServer.start(studio, limits, host, port, (who, what) -> { });
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            out().println("serve: listening on " + host + ": anyone who can reach this machine can use the demo");
        }
        out().printf("serve: %s  (%d checkpoint%s in %s)%n", server.url(), listed, listed == 1 ? "" : "s",
                studio.root());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
