package ai.onestep.cli;

import ai.onestep.ckpt.Weights;
import ai.onestep.files.HadoopFiles;
import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.files.AtomicWrite;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.generate.EditSpec;
import ai.onestep.generate.Editing;
import ai.onestep.nn.GraphDenoiser;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code onestep edit}: zero-shot editing with a consistency-model checkpoint. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"Zero-shot editing with a consistency model (Song et al. 2023, Section 6).",
                "inpaint   --input IMG --mask MASK  (white mask pixels are regenerated, black ones kept)",
                "colorize  --input IMG              (RGB models; the output's luma equals the input's gray)",
                "superres  --input SMALL            (the model's side must be a multiple of the input's)",
                "interpolate --seed A --seed2 B --num K  (slerp between two latents, one step each)",
                "denoise   --input NOISY --sigma S  (S: the input's noise level in [-1, 1] pixel units)",
                "stroke    --input PAINTING         (SDEdit-style: noised to the first --ts time, then denoised)",
                "Inputs of another size are centre-cropped and resized as training data is (not for superres)."})
final class EditCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", required = true, description = "inpaint, colorize, superres, interpolate, denoise or stroke")
    String task;

    @Option(names = "--checkpoint", required = true, description = "checkpoint or run directory (URI)")
    String checkpoint;

    @Option(names = "--input", description = "input image (URI)")
    String input;

    @Option(names = "--mask", description = "inpaint: mask image (URI), white = regenerate")
    String mask;

    @Option(names = "--ema", description = "weights to use: an EMA rate, or online (default: the first EMA)")
    String ema;

    @Option(names = "--ts", split = ",", description = "Karras-grid indices of the editing times (defaults: "
            + "0,5,10,20,39; stroke 20,30,39)")
    List<Integer> ts;

    @Option(names = "--repeats", defaultValue = "1", description = "visits of each editing time after the first: 1 is "
            + "the paper's loop; more resample (RePaint-style) so regenerated pixels fit the kept ones (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--grid", defaultValue = "40", description = "Karras grid size (default: ${DEFAULT-VALUE})")
    int grid;

    @Option(names = "--sigma", description = "denoise: noise level of the input")
    Double sigma;

    @Option(names = "--num", defaultValue = "8", description = "interpolate: images along the path (default: ${DEFAULT-VALUE})")
    int num;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seed2", defaultValue = "1", description = "interpolate: seed of the second latent (default: ${DEFAULT-VALUE})")
    long seed2;

    @Option(names = "--class", description = "class label for class-conditional models (default: inpaint, colorize and "
            + "superres try every class and keep the one that best explains the input; other tasks use class 0)")
    Integer label;

    @Option(names = "--out", required = true, description = "output PNG")
    String out;

    @Option(names = "--no-clamp", description = "keep denoised outputs as the network gives them (default: clamped to "
            + "[-1, 1] at every step, as the original)")
    boolean noClamp;

    @Override
    public Integer call() throws Exception {
        EditSpec spec;
        try {
            spec = new EditSpec(EditSpec.Task.parse(task), ts, repeats, grid, sigma, num, seed, seed2, label, !noClamp);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("edit: " + e.getMessage(), e);
        }
        if (!out.endsWith(".png")) {
            throw new IllegalArgumentException("edit: --out must end in .png (got " + out + ")");
        }
        if (spec.task().needsInput() && input == null) {
            throw new IllegalArgumentException("edit: --task " + task + " needs --input");
        }
        if (spec.task() == EditSpec.Task.INPAINT && mask == null) {
            throw new IllegalArgumentException("edit: --task inpaint needs --mask (white = regenerate)");
        }
        Configuration conf = new Configuration();
        Path outPath = new Path(out);
        Path parent = outPath.getParent();
        if (parent != null && !outPath.getFileSystem(conf).exists(parent)) {
            throw new IllegalArgumentException("edit: output directory does not exist: " + parent);
        }
        RunCheckpoint ck = RunCheckpoint.load(new HadoopFiles(checkpoint, conf));
        if (ck.isEdm()) {
            throw new IllegalArgumentException("edit: " + ck.dir() + " is an EDM teacher; editing needs a consistency model");
        }
        Pixels image = input == null ? null : read(input, conf);
        Pixels maskImage = mask == null ? null : read(mask, conf);
        Weights weights = ck.resolve(Weights.parse("edit: --ema", ema));
        long t0 = System.nanoTime();
        Editing.Result edited;
        try (GraphDenoiser d = ck.denoiser(weights)) {
            edited = Editing.run(d, ck.network(), spec, image, maskImage);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("edit: " + e.getMessage(), e);
        }
        INDArray result = edited.images();
        AtomicWrite.write(out, Png.encode(result.size(0) == 1 ? TensorImages.toPixels(result).get(0)
                : Png.grid(TensorImages.toPixels(result), (int) result.size(0), 2)), conf);
        out().printf("edit: %s with %s (%s%s) in %.1f s -> %s%n", task, ck.dir(),
                describe(weights), edited.chosenClass() == null ? ""
                        : String.format(", class %d chosen of %d", edited.chosenClass(), ck.network().numClasses()),
                (System.nanoTime() - t0) / 1e9, out);
        return 0;
    }

    private static Pixels read(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IllegalArgumentException("edit: no such file: " + uri);
        }
        byte[] bytes;
        try (FSDataInputStream in = fs.open(p)) {
            bytes = in.readAllBytes();
        }
        try {
            return new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS).decode(bytes, uri).pixels();
        } catch (ai.onestep.image.SkippedImageException e) {
            throw new IllegalArgumentException("edit: " + uri + " is not a readable image (" + e.getMessage() + ")");
        }
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** "EMA 0.999" or "online parameters", for the line a command prints. */
    static String describe(Weights w) {
        return w instanceof Weights.Ema e ? "EMA " + e.rate() : "online parameters";
    }
}
