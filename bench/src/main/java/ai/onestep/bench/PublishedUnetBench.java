package ai.onestep.bench;

import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.ParamStore;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;
import ai.onestep.precond.ConsistencyPrecond;
import ai.onestep.precond.Denoiser;
import ai.onestep.torch.StateDictImport;
import ai.onestep.torch.TorchFile;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code onestep bench sample --unet imagenet64|bedroom256}: one-step sampling with a published checkpoint's
 * architecture, seconds per image at each batch size; with {@code --torch}, the original code timed by PyTorch first
 * ({@code bench/torch/original_unet.py}), then a TorchScript trace of it by PyTorch 2.x through DJL
 * ({@code bench/torch/djl}); OneStep then imports the random weights the PyTorch run saved, so all run the same
 * network, and is compared with the faster of the two.
 */
final class PublishedUnetBench {
    private static final Pattern TORCH_RESULT = Pattern.compile("RESULT (pytorch \\S+|djl) batch=(\\d+) median_s=([0-9.]+)");

    /** The published networks by the name the option takes. */
    enum Net {
        IMAGENET64(UNetConfig.imagenet64()), BEDROOM256(UNetConfig.lsun256());

        final UNetConfig config;

        Net(UNetConfig config) {
            this.config = config;
        }
    }

    private PublishedUnetBench() {
    }

    /**
     * @param original a checkout of openai/consistency_models, for --torch (else null)
     * @param python   the interpreter with PyTorch
     */
    static void run(PrintWriter out, Net net, List<Integer> batches, int warmup, int iterations, Path original,
                    String python, Path script) throws IOException, InterruptedException {
        UNetConfig cfg = net.config;
        List<ParamStore.Spec> layout = DenoiserGraph.layout(new UNet(cfg)).specs();
        INDArray params;
        Map<Integer, Double> torch = new HashMap<>();
        if (original != null) {
            Path weights = Files.createTempFile("onestep-bench-", ".pt");
            Path trace = Files.createTempFile("onestep-bench-trace-", ".pt");
            try {
                String size = String.valueOf(cfg.resolution());
                String list = String.join(",", batches.stream().map(String::valueOf).toList());
                String threads = String.valueOf(Runtime.getRuntime().availableProcessors());
                if (!Files.isDirectory(original.resolve("cm"))) {
                    throw new IllegalArgumentException("bench: --original " + original + " is not a checkout of "
                            + "openai/consistency_models (no cm/)");
                }
                Map<Integer, Double> eager = medians(out, "pytorch", List.of(python, script.toString(), "--original",
                        original.toString(), "--unet", net.name().toLowerCase(java.util.Locale.ROOT), "--batch", list,
                        "--iterations", String.valueOf(iterations), "--warmup", String.valueOf(warmup), "--threads",
                        threads, "--save-weights", weights.toString(), "--trace", trace.toString()));
                Map<Integer, Double> djl = medians(out, "djl", List.of("bash",
                        script.resolveSibling("djl").resolve("run.sh").toString(), trace.toString(), size,
                        String.valueOf(cfg.numClasses()), list, String.valueOf(iterations), String.valueOf(warmup),
                        threads));
                Files.deleteIfExists(trace);
                for (int b : batches) {
                    out.printf("RESULT pytorch batch=%d eager (1.13) %.3f s, torchscript via DJL (2.x) %.3f s%n", b,
                            eager.getOrDefault(b, Double.NaN), djl.getOrDefault(b, Double.NaN));
                    torch.put(b, Math.min(eager.getOrDefault(b, Double.MAX_VALUE), djl.getOrDefault(b, Double.MAX_VALUE)));
                }
                params = StateDictImport.parameters(TorchFile.readStateDict(weights), layout);
            } finally {
                Files.deleteIfExists(weights);
                Files.deleteIfExists(trace);
            }
        } else {
            ParamStore store = DenoiserGraph.layout(new UNet(cfg));
            params = store.initialise(Rng.of(0));
        }
        out.printf("onestep: %s, %,d parameters%n", net.name().toLowerCase(java.util.Locale.ROOT), params.length());
        try (GraphDenoiser d = GraphDenoiser.forInference(new UNet(cfg), ConsistencyPrecond.standard(), DataType.FLOAT)
                .bind(params)) {
            Denoiser f = d.clamped();
            for (int batch : batches) {
                Rng rng = Rng.of(batch);
                INDArray x = Tensors.gaussian(rng, DataType.FLOAT, batch, cfg.inChannels(), cfg.resolution(),
                        cfg.resolution()).muli(80);
                int[] labels = cfg.numClasses() > 0 ? new int[batch] : null;
                for (int i = 0; labels != null && i < batch; i++) {
                    labels[i] = rng.nextInt(cfg.numClasses());
                }
                Bench.Result r = Bench.measure("sample-" + net.name().toLowerCase(java.util.Locale.ROOT), batch,
                        warmup, iterations, 0, params.length(), () -> f.denoise(x, 80, labels));
                out.println(r);
                out.printf("RESULT onestep %s batch=%d s_per_image=%.3f%n", net.name().toLowerCase(java.util.Locale.ROOT),
                        batch, r.medianSeconds() / batch);
                if (torch.containsKey(batch)) {
                    out.printf("RESULT ratio onestep/pytorch batch=%d = %.2f (onestep %.3f s, pytorch %.3f s per call)%n",
                            batch, r.medianSeconds() / torch.get(batch), r.medianSeconds(), torch.get(batch));
                }
            }
        }
    }

    /** Runs a PyTorch timing command, echoing its lines, and returns its median seconds per batch size. */
    private static Map<Integer, Double> medians(PrintWriter out, String tag, List<String> cmd)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<Integer, Double> medians = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.println("[" + tag + "] " + line);
                out.flush();
                Matcher m = TORCH_RESULT.matcher(line);
                if (m.find()) {
                    medians.put(Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)));
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bench: " + String.join(" ", cmd.subList(0, 2)) + " failed (exit "
                    + p.exitValue() + "; the PyTorch run needs Debian's python3-torch, the DJL run Maven Central)");
        }
        return medians;
    }
}
