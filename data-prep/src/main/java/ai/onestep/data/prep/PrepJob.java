package ai.onestep.data.prep;

import ai.onestep.files.HadoopConf;
import ai.onestep.image.CenterCrop;
import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Outcome;
import ai.onestep.image.Pixels;
import ai.onestep.image.SkippedImageException;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardWriter;
import ai.onestep.data.source.Item;
import ai.onestep.data.source.ItemReader;
import ai.onestep.data.source.Listing;
import ai.onestep.util.Rng;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Dataset to Parquet shards (docs/data.md) as one Spark job: the driver lists and orders the items and cuts them
 * into shards; each task decodes, centre-crops and writes one shard into a temporary directory; the driver writes the
 * manifest last and commits the directory by rename. Deterministic: shard contents depend only on input and seed.
 */
public final class PrepJob {
    private PrepJob() {
    }

    /** The plan: items in final order and how they are cut; printed by --dry-run, executed by {@link #run}. */
    public record Plan(PrepConfig cfg, Listing listing, List<Item> ordered, int channels, int rowsPerShard,
                       int shards) {
        public String describe() {
            StringBuilder files = new StringBuilder();
            for (int i = 0; i < Math.min(5, ordered.size()); i++) {
                Item it = ordered.get(i);
                files.append(String.format("      %s  (label %d) <- %s%n", it.key(), it.label(), it.locator()));
            }
            if (ordered.size() > 5) {
                files.append(String.format("      ... and %d more%n", ordered.size() - 5));
            }
            return describeTotals() + "first items in shard order:\n" + files;
        }

        private String describeTotals() {
            return String.format("read  %s%n      %d files, %d classes%nwrite %s%n      %d shards of <= %d images, "
                            + "%dx%dx%d uint8, %s%n", cfg.source().describe(), ordered.size(), listing.classes().size(),
                    cfg.output(), shards, rowsPerShard, cfg.resolution(), cfg.resolution(), channels,
                    cfg.shuffleSeed() == null ? "key order" : "shuffled with seed " + cfg.shuffleSeed());
        }
    }

    public static Plan plan(PrepConfig cfg, Configuration conf) throws IOException {
        Path out = new Path(cfg.output());
        FileSystem fs = out.getFileSystem(conf);
        if (fs.exists(out) && !cfg.overwrite()) {
            throw new IllegalArgumentException("output already exists: " + cfg.output() + " (pass --overwrite to replace it)");
        }
        Listing listing = cfg.source().list(conf);
        List<Item> ordered = new ArrayList<>(listing.items());
        ordered.sort(Comparator.comparing(Item::key));
        if (cfg.shuffleSeed() != null) {
            Rng rng = Rng.derive(cfg.shuffleSeed(), 0x5348_5546L); // "SHUF"
            for (int i = ordered.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Item t = ordered.get(i);
                ordered.set(i, ordered.get(j));
                ordered.set(j, t);
            }
        }
        int channels = cfg.channels() != 0 ? cfg.channels() : listing.channels();
        long bytesPerImage = (long) cfg.resolution() * cfg.resolution() * channels;
        int rowsPerShard = (int) Math.max(1, Math.min(Integer.MAX_VALUE, cfg.shardBytes() / bytesPerImage));
        int shards = (int) ((ordered.size() + (long) rowsPerShard - 1) / rowsPerShard);
        return new Plan(cfg, listing, ordered, channels, rowsPerShard, shards);
    }

    /** Runs the plan on Spark and commits the shard set; returns its manifest. */
    public static Manifest run(JavaSparkContext sc, Plan plan) throws IOException {
        PrepConfig cfg = plan.cfg();
        Configuration conf = sc.hadoopConfiguration();
        Path out = new Path(cfg.output());
        FileSystem fs = out.getFileSystem(conf);
        out = fs.makeQualified(out);
        Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
        fs.mkdirs(tmp);
        try {
            List<ShardTask> tasks = new ArrayList<>();
            for (int s = 0; s < plan.shards(); s++) {
                int from = s * plan.rowsPerShard();
                int to = Math.min(plan.ordered().size(), from + plan.rowsPerShard());
                tasks.add(new ShardTask(s, String.format("shard-%05d-of-%05d.parquet", s, plan.shards()),
                        new ArrayList<>(plan.ordered().subList(from, to))));
            }
            sc.setJobDescription("prep " + cfg.source().name() + " -> " + plan.shards() + " shards");
            List<ShardResult> results = sc.parallelize(tasks, Math.max(1, tasks.size()))
                    .map(new WriteShard(cfg, plan.channels(), tmp.toString(), new HadoopConf(conf)))
                    .collect();
            Map<String, Long> outcomes = new TreeMap<>();
            List<Manifest.Shard> shards = new ArrayList<>();
            long count = 0;
            for (ShardResult r : results.stream().sorted(Comparator.comparingInt(ShardResult::index)).toList()) {
                shards.add(new Manifest.Shard(r.file(), r.rows()));
                count += r.rows();
                r.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            }
            Manifest m = new Manifest(Manifest.FORMAT_VERSION, cfg.source().name(), cfg.source().describe(),
                    cfg.resolution(), plan.channels(), count, plan.listing().classes(), Manifest.PREPROCESSING,
                    cfg.shuffleSeed(), shards, outcomes);
            Path mtmp = new Path(tmp, "._manifest.json.tmp");
            try (FSDataOutputStream o = fs.create(mtmp, true)) {
                o.write(m.toJson());
            }
            if (!fs.rename(mtmp, new Path(tmp, Manifest.FILE))) {
                throw new IOException("could not commit the manifest in " + tmp);
            }
            commit(fs, tmp, out);
            return m;
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    /** Renames tmp to out; an existing out (only with --overwrite) is moved aside first and deleted after. */
    private static void commit(FileSystem fs, Path tmp, Path out) throws IOException {
        Path old = null;
        if (fs.exists(out)) {
            old = new Path(out.getParent(), "." + out.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(out, old)) {
                throw new IOException("could not move the previous " + out + " aside");
            }
        }
        if (!fs.rename(tmp, out)) {
            throw new IOException("could not commit " + tmp + " as " + out);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** One summary line for the console. */
    public static String summary(Manifest m, String output) {
        StringBuilder skipped = new StringBuilder();
        StringBuilder converted = new StringBuilder();
        long nSkipped = 0;
        long nConverted = 0;
        for (Map.Entry<String, Long> e : m.outcomes().entrySet()) {
            String[] kv = e.getKey().split(":", 2);
            StringBuilder sb = kv[0].equals("skipped") ? skipped : converted;
            sb.append(sb.length() == 0 ? "" : ", ").append(kv[1]).append(' ').append(e.getValue());
            if (kv[0].equals("skipped")) {
                nSkipped += e.getValue();
            } else {
                nConverted += e.getValue();
            }
        }
        return String.format("prep %s: %d images -> %d shards in %s (%dx%dx%d); skipped %d%s; converted %d%s",
                m.dataset(), m.count(), m.shards().size(), output, m.resolution(), m.resolution(), m.channels(),
                nSkipped, nSkipped > 0 ? " (" + skipped + ")" : "", nConverted, nConverted > 0 ? " (" + converted + ")" : "");
    }

    /** The executor side: decode, centre-crop, write one shard. */
    static final class WriteShard implements org.apache.spark.api.java.function.Function<ShardTask, ShardResult> {
        private final PrepConfig cfg;
        private final int channels;
        private final String tmpDir;
        private final HadoopConf conf;

        WriteShard(PrepConfig cfg, int channels, String tmpDir, HadoopConf conf) {
            this.cfg = cfg;
            this.channels = channels;
            this.tmpDir = tmpDir;
            this.conf = conf;
        }

        @Override
        public ShardResult call(ShardTask task) throws Exception {
            Configuration c = conf.get();
            ImageDecoder decoder = new ImageDecoder(cfg.maxPixels());
            Map<String, Long> outcomes = new TreeMap<>();
            Path file = new Path(tmpDir, task.file());
            long rows;
            try (ItemReader reader = cfg.source().open(c, decoder); ShardWriter w = new ShardWriter(file, c)) {
                for (Item item : task.items()) {
                    Pixels px;
                    try {
                        ImageDecoder.Decoded d = reader.read(item);
                        for (Outcome o : d.notes()) {
                            outcomes.merge(o.key(), 1L, Long::sum);
                        }
                        px = CenterCrop.apply(d.pixels(), cfg.resolution()).withChannels(channels);
                    } catch (SkippedImageException e) {
                        outcomes.merge(e.reason().key(), 1L, Long::sum);
                        continue;
                    } catch (RuntimeException | OutOfMemoryError e) {
                        outcomes.merge(Outcome.CORRUPT.key(), 1L, Long::sum);
                        continue;
                    }
                    w.write(new Row(item.key(), item.label(), px));
                }
                rows = w.rows();
            }
            return new ShardResult(task.index(), task.file(), rows, outcomes);
        }
    }
}
