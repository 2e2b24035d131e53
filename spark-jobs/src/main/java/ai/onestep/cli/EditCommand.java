package ai.onestep.cli;

import ai.onestep.data.image.CenterCrop;
import ai.onestep.data.image.ImageDecoder;
import ai.onestep.data.image.Pixels;
import ai.onestep.data.image.Png;
import ai.onestep.data.image.TensorImages;
import ai.onestep.data.io.AtomicWrite;
import ai.onestep.distributed.RunCheckpoint;
import ai.onestep.edit.Colorize;
import ai.onestep.edit.Editor;
import ai.onestep.edit.Inpaint;
import ai.onestep.edit.Interpolation;
import ai.onestep.edit.Projection;
import ai.onestep.edit.SuperResolution;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import ai.onestep.schedule.Karras;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
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
    static final List<String> TASKS = List.of("inpaint", "colorize", "superres", "interpolate", "denoise", "stroke");

    @Option(names = "--task", required = true, description = "inpaint, colorize, superres, interpolate, denoise or stroke")
    String task;

    @Option(names = "--checkpoint", required = true, description = "checkpoint or run directory (URI)")
    String checkpoint;

    @Option(names = "--input", description = "input image (URI)")
    String input;

    @Option(names = "--mask", description = "inpaint: mask image (URI), white = regenerate")
    String mask;

    @Option(names = "--ema", description = "EMA rate (default: the first EMA; 0 = online parameters)")
    Double ema;

    @Option(names = "--ts", split = ",", description = "Karras-grid indices of the editing times (defaults: "
            + "0,5,10,20,39; stroke 20,30,39)")
    List<Integer> ts;

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

    @Option(names = "--class", description = "class label for class-conditional models")
    Integer label;

    @Option(names = "--out", required = true, description = "output PNG")
    String out;

    static final double SIGMA_MIN = 0.002;
    static final double SIGMA_MAX = 80;

    @Override
    public Integer call() throws Exception {
        if (!TASKS.contains(task)) {
            throw new IllegalArgumentException("edit: --task must be one of " + String.join(", ", TASKS) + " (got " + task + ")");
        }
        if (!out.endsWith(".png")) {
            throw new IllegalArgumentException("edit: --out must end in .png (got " + out + ")");
        }
        if (!task.equals("interpolate") && input == null) {
            throw new IllegalArgumentException("edit: --task " + task + " needs --input");
        }
        if (num < 2 || num > 64) {
            throw new IllegalArgumentException("edit: --num must be in 2..64 (got " + num + ")");
        }
        Configuration conf = new Configuration();
        Path outPath = new Path(out);
        Path parent = outPath.getParent();
        if (parent != null && !outPath.getFileSystem(conf).exists(parent)) {
            throw new IllegalArgumentException("edit: output directory does not exist: " + parent);
        }
        RunCheckpoint ck = RunCheckpoint.load(checkpoint, conf);
        if (ck.isEdm()) {
            throw new IllegalArgumentException("edit: " + ck.dir() + " is an EDM teacher; editing needs a consistency model");
        }
        Network net = ck.network();
        long[] shape = net.sampleShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("edit: the model generates " + shape.length + "-D points, not images");
        }
        int channels = (int) shape[0];
        int side = (int) shape[1];
        ck.requireClass("edit", label);
        Double rate = ck.emaRate(ema);
        long t0 = System.nanoTime();
        INDArray result;
        try (GraphDenoiser d = ck.denoiser(rate)) {
            result = run(d, conf, channels, side, net.numClasses());
        }
        AtomicWrite.write(out, Png.encode(result.size(0) == 1 ? TensorImages.toPixels(result).get(0)
                : Png.grid(TensorImages.toPixels(result), (int) result.size(0), 2)), conf);
        System.out.printf("edit: %s with %s (%s) in %.1f s -> %s%n", task, ck.dir(),
                rate == null ? "online parameters" : "EMA " + rate, (System.nanoTime() - t0) / 1e9, out);
        return 0;
    }

    private INDArray run(GraphDenoiser d, Configuration conf, int channels, int side, int classes) throws IOException {
        Rng rng = Rng.of(seed);
        if (task.equals("interpolate")) {
            long[] one = {1, channels, side, side};
            double[] alphas = new double[num];
            for (int i = 0; i < num; i++) {
                alphas[i] = i / (num - 1.0);
            }
            INDArray z = Interpolation.slerp(Tensors.gaussian(Rng.of(seed), DataType.FLOAT, one),
                    Tensors.gaussian(Rng.of(seed2), DataType.FLOAT, one), alphas);
            return new Editor(new double[]{SIGMA_MAX}, SIGMA_MIN).run(d, Projection.NONE, z.muli(SIGMA_MAX),
                    labels(num, classes), rng);
        }
        int[] labels = labels(1, classes);
        if (task.equals("superres")) {
            Pixels small = read(input, conf).withChannels(channels);
            if (small.width() != small.height()) {
                throw new IllegalArgumentException("edit: superres needs a square input (got " + small.width() + "x"
                        + small.height() + ")");
            }
            int f = SuperResolution.factor(small.width(), side);
            return editor(null).run(d, new SuperResolution(TensorImages.fromPixels(List.of(small)), f),
                    noise(channels, side, rng).muli(SIGMA_MAX), labels, rng);
        }
        Pixels image = CenterCrop.apply(read(input, conf), side);
        switch (task) {
            case "inpaint" -> {
                if (mask == null) {
                    throw new IllegalArgumentException("edit: --task inpaint needs --mask (white = regenerate)");
                }
                INDArray known = TensorImages.fromPixels(List.of(CenterCrop.apply(read(mask, conf).withChannels(1), side)))
                        .lt(0).castTo(DataType.FLOAT); // below mid-gray (black) = keep
                return editor(null).run(d, new Inpaint(TensorImages.fromPixels(List.of(image.withChannels(channels))), known),
                        noise(channels, side, rng).muli(SIGMA_MAX), labels, rng);
            }
            case "colorize" -> {
                if (channels != 3) {
                    throw new IllegalArgumentException("edit: colorize needs an RGB model (this one has " + channels
                            + " channel)");
                }
                INDArray gray = TensorImages.fromPixels(List.of(image.withChannels(1)));
                return editor(null).run(d, new Colorize(gray), noise(channels, side, rng).muli(SIGMA_MAX), labels, rng);
            }
            case "denoise" -> {
                if (sigma == null || !(sigma > SIGMA_MIN) || sigma > SIGMA_MAX) {
                    throw new IllegalArgumentException("edit: --task denoise needs --sigma in (" + SIGMA_MIN + ", "
                            + SIGMA_MAX + "] (got " + sigma + ")");
                }
                return new Editor(new double[]{sigma}, SIGMA_MIN).run(d, Projection.NONE,
                        TensorImages.fromPixels(List.of(image.withChannels(channels))), labels, rng);
            }
            default -> { // stroke
                Editor e = editor(List.of(20, 30, 39));
                INDArray painting = TensorImages.fromPixels(List.of(image.withChannels(channels)));
                INDArray start = painting.add(noise(channels, side, rng).muli(e.times()[0]));
                return e.run(d, Projection.NONE, start, labels, rng);
            }
        }
    }

    private Editor editor(List<Integer> defaults) {
        List<Integer> idx = ts != null ? ts : defaults != null ? defaults : List.of(0, 5, 10, 20, 39);
        if (grid < 2) {
            throw new IllegalArgumentException("edit: --grid must be >= 2 (got " + grid + ")");
        }
        double[] karras = Karras.standard().sigmas(grid);
        double[] t = new double[idx.size()];
        for (int i = 0; i < t.length; i++) {
            int k = idx.get(i);
            if (k < 0 || k >= grid) {
                throw new IllegalArgumentException("edit: --ts index " + k + " outside 0.." + (grid - 1));
            }
            t[i] = karras[k];
        }
        return new Editor(t, SIGMA_MIN);
    }

    private int[] labels(int n, int classes) {
        if (classes == 0) {
            return null;
        }
        int[] l = new int[n];
        java.util.Arrays.fill(l, label != null ? label : 0);
        return l;
    }

    private static INDArray noise(int channels, int side, Rng rng) {
        return Tensors.gaussian(rng, DataType.FLOAT, 1, channels, side, side);
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
        } catch (ai.onestep.data.image.SkippedImageException e) {
            throw new IllegalArgumentException("edit: " + uri + " is not a readable image (" + e.getMessage() + ")");
        }
    }
}
