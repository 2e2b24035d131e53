package ai.onestep.cli;

import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.files.AtomicWrite;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code onestep inspect}: a shard set (manifest, grid, export), a checkpoint (config, step, parameters, EMA rates,
 * integrity), or a preset's curriculum ({@code --conf FILE --schedule 0,1000,50000 [--sigmas]}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
                "Inspects a shard set: prints its manifest; --grid FILE writes a PNG grid of its first 64 images.",
                "--export DIR --limit N writes the first N images as PNG files named by their key: exactly the "
                        + "pixels training sees (before the optional random flip).",
                "Inspects a checkpoint or run directory: config, step, parameter count, EMA rates, file integrity.",
                "With --conf FILE --schedule K1,K2,...: k, N(k) and mu(k) of the preset's curriculum (--sigmas: "
                        + "the grid)."})
final class InspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "shard directory, checkpoint or run directory (URI)")
    String path;

    @Option(names = "--conf", description = "a preset (preset:NAME, a URI or a file), with --schedule")
    String conf;

    @Option(names = "--schedule", split = ",", description = "steps k at which to print N(k) and mu(k)")
    List<Long> schedule;

    @Option(names = "--sigmas", description = "with --schedule: also print each step's noise grid")
    boolean sigmas;

    @picocli.CommandLine.Parameters(index = "1..*", hidden = true)
    List<String> overrides = new ArrayList<>();

    @Option(names = "--grid", description = "a shard set: PNG file (URI) to write a grid of its first 64 images to")
    String grid;

    @Option(names = "--export", description = "directory to export individual PNGs into (created)")
    String export;

    @Option(names = "--limit", defaultValue = "64", description = "images to export (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("inspect: --limit must be >= 1 (got " + limit + ")");
        }
        if (conf != null || schedule != null) {
            return InspectSchedule.print(conf, schedule, sigmas, overrides, out());
        }
        if (path == null) {
            throw new IllegalArgumentException("inspect: name a shard set, a checkpoint or run directory, or --conf FILE --schedule ...");
        }
        Configuration conf = new Configuration();
        FileSystem fs = new Path(path).getFileSystem(conf);
        if (!fs.exists(new Path(path, Manifest.FILE))) {
            if (fs.exists(new Path(path, "checksums.sha256")) || fs.exists(new Path(path, "checkpoints"))) {
                return InspectCheckpoint.print(path, conf, out());
            }
            throw new IllegalArgumentException("inspect: " + path + " is neither a shard set (no " + Manifest.FILE
                    + "; an unfinished prep job?) nor a checkpoint or run directory");
        }
        ShardSet set = ShardSet.open(path, conf);
        Manifest m = set.manifest();
        out().println(new String(m.toJson(), StandardCharsets.UTF_8));
        int want = Math.max(64, export != null ? limit : 0);
        List<Row> rows = set.firstRows(want, conf);
        if (rows.isEmpty()) {
            out().println("inspect: the shard set holds no images");
            return 0;
        }
        if (grid != null) {
            List<Pixels> images = new ArrayList<>();
            for (Row r : rows.subList(0, Math.min(64, rows.size()))) {
                images.add(r.pixels());
            }
            AtomicWrite.write(grid, Png.encode(Png.grid(images, 8, 2)), conf);
            out().println("inspect: grid of " + images.size() + " images -> " + grid);
        }
        if (export != null) {
            Path dir = new Path(export);
            FileSystem out = AtomicWrite.outputFileSystem(dir, conf);
            out.mkdirs(dir);
            int n = 0;
            for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
                String key = r.key();
                int dot = key.lastIndexOf('.');
                String name = (dot > key.lastIndexOf('/') ? key.substring(0, dot) : key) + ".png";
                Path target = new Path(dir, name);
                out.mkdirs(target.getParent());
                AtomicWrite.write(target.toString(), Png.encode(r.pixels()), conf);
                n++;
            }
            out().println("inspect: exported " + n + " images -> " + export);
        }
        return 0;
    }

    /** Where the command prints: picocli's writer, so callers and tests can capture it. */
    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
