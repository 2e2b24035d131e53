package ai.onestep.cli;

import ai.onestep.ckpt.Weights;
import ai.onestep.files.HadoopFiles;
import ai.onestep.ckpt.Npy;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.files.AtomicWrite;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.generate.SampleSpec;
import ai.onestep.generate.Sampling;
import ai.onestep.nn.GraphDenoiser;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import ai.onestep.sampler.SamplerNoise;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** {@code onestep sample}: images from a checkpoint in one step, a few steps, or with the EDM teacher's Heun sampler. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {
                "Samples a checkpoint (or a run directory's newest checkpoint).",
                "Consistency models: --steps 1 (one step), --steps N (N steps on evenly spaced indices of a "
                        + "--grid-point Karras grid), or --ts 0,22,39 --grid 40 (the original's two-step ImageNet "
                        + "setting).",
                "EDM teachers: --sampler heun --steps 40 (Karras et al. Algorithm 1).",
                "--out FILE.png writes a grid, FILE.npz arr_0 = uint8 NHWC (+ arr_1 labels) for OpenAI's "
                        + "evaluator and x = float32 NCHW in [-1, 1] before quantization, a directory (ending in /) "
                        + "one PNG per image.",
                "With --seed, image i depends only on the seed and i, whatever --num and --batch."})
final class SampleCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "checkpoint or run directory (URI)")
    String checkpoint;

    @Option(names = "--ema", description = "weights to use: an EMA rate, or online (default: the first EMA)")
    String ema;

    @Option(names = "--steps", defaultValue = "1", description = "network evaluations (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--ts", split = ",", description = "grid indices, e.g. 0,22,39")
    List<Integer> ts;

    @Option(names = "--grid", defaultValue = "40", description = "Karras grid size for --ts/--steps (default: ${DEFAULT-VALUE})")
    int grid;

    @Option(names = "--sampler", defaultValue = "consistency", description = "consistency or heun (EDM teachers)")
    String sampler;

    @Option(names = "--num", defaultValue = "64", description = "images (default: ${DEFAULT-VALUE})")
    int num;

    @Option(names = "--max-num", defaultValue = "100000", description = "refuse --num above this (default: ${DEFAULT-VALUE})")
    int maxNum;

    @Option(names = "--batch", defaultValue = "64", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--class", description = "class label for class-conditional models (default: cycles 0..K-1)")
    Integer label;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output: FILE.png, FILE.npz or DIR/")
    String out;

    @Option(names = "--no-clamp", description = "keep denoised outputs as the network gives them (default: clamped to "
            + "[-1, 1] at every step, as the original)")
    boolean noClamp;

    @Option(names = "--noise", paramLabel = "FILE.npz", description = "replay given noise: x_T (the draw the sampler "
            + "scales by sigma_max) and z_1, z_2, ... (the re-noising after step 1, 2, ...), each [num, C, H, W]")
    String noise;

    @Override
    public Integer call() throws Exception {
        if (num > maxNum) {
            throw new IllegalArgumentException("sample: --num must be in 1.." + maxNum + " (got " + num + "; raise --max-num)");
        }
        if (!sampler.equals("consistency") && !sampler.equals("heun")) {
            throw new IllegalArgumentException("sample: --sampler must be consistency or heun (got " + sampler + ")");
        }
        if (!out.endsWith(".png") && !out.endsWith(".npz") && !out.endsWith("/")) {
            throw new IllegalArgumentException("sample: --out must end in .png, .npz or / (got " + out + ")");
        }
        SampleSpec spec;
        try {
            spec = new SampleSpec(sampler.equals("heun"), steps, ts, grid, num, batch, label, seed, !noClamp);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample: " + e.getMessage(), e);
        }
        Configuration conf = new Configuration();
        Path outPath = new Path(out.endsWith("/") ? out.substring(0, out.length() - 1) : out);
        FileSystem fs = outPath.getFileSystem(conf);
        Path parent = outPath.getParent();
        if (parent != null && !fs.exists(parent)) {
            throw new IllegalArgumentException("sample: output directory does not exist: " + parent);
        }
        Map<String, INDArray> draws = noise == null ? null : readNoise(noise, conf);
        RunCheckpoint ck = RunCheckpoint.load(new HadoopFiles(checkpoint, conf));
        Weights weights = ck.resolve(Weights.parse("sample: --ema", ema));
        if (spec.heun() != ck.isEdm()) {
            throw new IllegalArgumentException(spec.heun() ? "sample: --sampler heun needs an EDM teacher checkpoint; this one is "
                    + ck.config().methodSettings().kindName() : "sample: this is an EDM teacher checkpoint: use --sampler heun --steps 40");
        }
        Sampling.Result r;
        try (GraphDenoiser d = ck.denoiser(weights)) {
            r = draws == null ? Sampling.run(d, ck.network(), spec)
                    : Sampling.run(d, ck.network(), spec, 0, from -> SamplerNoise.recorded(draws, from));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample: " + e.getMessage(), e);
        }
        write(r.samples(), r.labels(), outPath, conf);
        out().printf("sample: %d images from %s (%s, %s) in %.1f s (%.1f images/s) -> %s%n", num, ck.dir(),
                EditCommand.describe(weights), spec.describe(), r.seconds(), num / r.seconds(), out);
        return 0;
    }

    private void write(INDArray x, int[] labels, Path outPath, Configuration conf) throws Exception {
        if (x.rank() == 2) { // low-dimensional data (the 2-D toy): a scatter plot or the raw points
            if (out.endsWith(".png")) {
                AtomicWrite.write(out, ai.onestep.run.RunVisuals.scatter(x), conf);
            } else if (out.endsWith(".npz")) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                try (ZipOutputStream zip = new ZipOutputStream(buf)) {
                    zip.putNextEntry(new ZipEntry("arr_0.npy"));
                    Npy.writeFloats(zip, x.shape(), x.castTo(DataType.FLOAT).dup('c').data().asFloat());
                    zip.closeEntry();
                }
                AtomicWrite.write(out, buf.toByteArray(), conf);
            } else {
                throw new IllegalArgumentException("sample: a model of " + x.size(1) + "-D points writes .png or .npz, not a directory");
            }
            return;
        }
        List<Pixels> images = TensorImages.toPixels(x);
        if (out.endsWith(".png")) {
            int cols = (int) Math.ceil(Math.sqrt(images.size()));
            AtomicWrite.write(out, Png.encode(Png.grid(images, cols, 2)), conf);
        } else if (out.endsWith(".npz")) {
            Pixels first = images.get(0);
            byte[] all = new byte[images.size() * first.data().length];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(images.get(i).data(), 0, all, i * first.data().length, first.data().length);
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(buf)) {
                zip.putNextEntry(new ZipEntry("arr_0.npy"));
                Npy.writeUint8(zip, new long[]{images.size(), first.height(), first.width(), first.channels()}, all);
                zip.closeEntry();
                if (labels != null) {
                    zip.putNextEntry(new ZipEntry("arr_1.npy"));
                    long[] l = new long[labels.length];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = labels[i];
                    }
                    Npy.writeInt64(zip, new long[]{l.length}, l);
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("x.npy")); // before quantization: float32 NCHW in [-1, 1]
                Npy.writeFloats(zip, x.shape(), x.castTo(DataType.FLOAT).dup('c').data().asFloat());
                zip.closeEntry();
            }
            AtomicWrite.write(out, buf.toByteArray(), conf);
        } else {
            FileSystem fs = outPath.getFileSystem(conf);
            fs.mkdirs(outPath);
            for (int i = 0; i < images.size(); i++) {
                AtomicWrite.write(new Path(outPath, String.format("%06d.png", i)).toString(), Png.encode(images.get(i)), conf);
            }
        }
    }

    /** The draws of a --noise file, each checked for its batch and image shape when the sampler asks for it. */
    private static Map<String, INDArray> readNoise(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IllegalArgumentException("sample: --noise " + uri + " does not exist");
        }
        Map<String, Npy.Array> arrays;
        try (java.io.InputStream in = fs.open(p)) {
            arrays = Npy.readNpz(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("sample: --noise " + uri + " is not a readable .npz (" + e.getMessage()
                    + ")", e);
        }
        Map<String, INDArray> draws = new java.util.HashMap<>();
        arrays.forEach((k, a) -> {
            if (a.floats() == null && a.doubles() == null) {
                throw new IllegalArgumentException("sample: --noise array " + k + " is not floating point");
            }
            draws.put(k, (a.floats() != null ? Nd4j.createFromArray(a.floats()) : Nd4j.createFromArray(a.doubles())
                    .castTo(DataType.FLOAT)).reshape(a.shape()));
        });
        if (!draws.containsKey("x_T")) {
            throw new IllegalArgumentException("sample: --noise " + uri + " has no x_T (it has "
                    + new java.util.TreeSet<>(draws.keySet()) + ")");
        }
        return draws;
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
