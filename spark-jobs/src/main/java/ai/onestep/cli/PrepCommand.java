package ai.onestep.cli;

import ai.onestep.image.ImageDecoder;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.source.FolderSource;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.source.ImageNetSource;
import ai.onestep.data.source.ImageSource;
import ai.onestep.data.source.LsunSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code onestep prep imagenet|lsun|folder|idx}: a dataset becomes Parquet shards (a Spark job). */
@Command(name = "prep", mixinStandardHelpOptions = true,
        description = "Prepares a dataset as Parquet shards + _manifest.json (docs/data.md) with a Spark job.",
        subcommands = {PrepCommand.ImageNet.class, PrepCommand.Lsun.class, PrepCommand.Folder.class, PrepCommand.Idx.class,
                PrepCommand.Digits.class})
final class PrepCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new IllegalArgumentException("prep: name a source: imagenet, lsun, folder, idx or digits (see onestep prep --help)");
    }

    /** Options every source shares. */
    static final class Common {
        @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
        picocli.CommandLine.Model.CommandSpec mixee;

        /** Where the command prints: picocli's writer, so callers and tests can capture it. */
        private java.io.PrintWriter out() {
            return mixee.commandLine().getOut();
        }

        @Option(names = "--input", required = true, description = "input URI (file://, hdfs://, s3a:// or a local path)")
        String input;

        @Option(names = "--output", required = true, description = "output shard directory URI (must not exist)")
        String output;

        @Option(names = "--resolution", required = true, description = "square output size, e.g. 64 or 256")
        int resolution;

        @Option(names = "--channels", defaultValue = "0", description = "1 or 3 to force gray or RGB (default: the source's)")
        int channels;

        @Option(names = "--shard-mb", defaultValue = "256", description = "target shard size in MB (default: ${DEFAULT-VALUE})")
        double shardMb;

        @Option(names = "--shuffle-seed", description = "shuffle the images globally with this seed (default: key order)")
        Long shuffleSeed;

        @Option(names = "--overwrite", description = "replace an existing output directory")
        boolean overwrite;

        @Option(names = "--max-pixels", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
                description = "skip images declaring more pixels (decompression bombs; default: ${DEFAULT-VALUE})")
        long maxPixels;

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
        String master;

        @Option(names = "--dry-run", description = "list what would be read and written, then stop")
        boolean dryRun;

        int run(ImageSource source) throws IOException {
            if (shardMb <= 0) {
                throw new IllegalArgumentException("prep: --shard-mb must be > 0 (got " + shardMb + ")");
            }
            PrepConfig cfg;
            try {
                cfg = new PrepConfig(source, output, resolution, channels, (long) (shardMb * (1 << 20)), shuffleSeed,
                        overwrite, maxPixels);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("prep: " + e.getMessage(), e);
            }
            if (dryRun) {
                PrepJob.Plan plan = PrepJob.plan(cfg, new Configuration());
                out().print(plan.describe());
                return 0;
            }
            try (JavaSparkContext sc = Sparks.start("onestep prep " + source.name(), master)) {
                PrepJob.Plan plan = PrepJob.plan(cfg, sc.hadoopConfiguration());
                long t0 = System.nanoTime();
                Manifest m = PrepJob.run(sc, plan);
                double s = (System.nanoTime() - t0) / 1e9;
                out().println(PrepJob.summary(m, output));
                out().printf("prep: %.1f s, %.0f images/s%n", s, (m.count() + m.skipped()) / s);
            }
            return 0;
        }
    }

    @Command(name = "imagenet", mixinStandardHelpOptions = true,
            description = {
                "ILSVRC-2012: --input train/ (folders <wnid>/*.JPEG, label = sorted wnid index), or --input val/ "
                        + "--labels LOC_val_solution.csv (lines 'image wnid' or Kaggle's CSV)."})
    static final class ImageNet implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--labels", description = "validation label file (image name -> wnid)")
        String labels;

        @Override
        public Integer call() throws IOException {
            return common.run(new ImageNetSource(common.input, labels));
        }
    }

    @Command(name = "lsun", mixinStandardHelpOptions = true,
            description = {"LSUN: --input <category>_train_lmdb/ (LMDB of WebP images; a local path on every node)",
                    "or an exported folder of images."})
    static final class Lsun implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--category", description = "category name for the manifest, e.g. bedroom")
        String category;

        @Override
        public Integer call() throws IOException {
            return common.run(new LsunSource(common.input, category));
        }
    }

    @Command(name = "folder", mixinStandardHelpOptions = true,
            description = "Any folder tree of JPEG/PNG/WebP/BMP images; --class-folders labels by first-level folder.")
    static final class Folder implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--class-folders", description = "class = first-level sub-folder (sorted names)")
        boolean classFolders;

        @Override
        public Integer call() throws IOException {
            return common.run(new FolderSource(common.input, classFolders));
        }
    }

    @Command(name = "idx", mixinStandardHelpOptions = true,
            description = "MNIST-format IDX files (MNIST, Fashion-MNIST), gzipped or not: the image file or its folder.")
    static final class Idx implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--split", defaultValue = "train", description = "train or t10k (default: ${DEFAULT-VALUE})")
        String split;

        @Override
        public Integer call() throws IOException {
            return common.run(new IdxSource(common.input, split));
        }
    }

    @Command(name = "digits", mixinStandardHelpOptions = true,
            description = "scikit-learn's 8x8 digits CSV (digits.csv.gz; bin/fetch-data digits fetches it).")
    static final class Digits implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() throws IOException {
            return common.run(new ai.onestep.data.source.DigitsCsvSource(common.input));
        }
    }
}
