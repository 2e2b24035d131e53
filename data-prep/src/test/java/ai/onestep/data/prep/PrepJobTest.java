package ai.onestep.data.prep;

import ai.onestep.testing.ImageFixtures;
import ai.onestep.testing.LocalSpark;
import ai.onestep.image.ImageDecoder;
import ai.onestep.image.SkippedImageException;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardReader;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.source.FolderSource;
import ai.onestep.data.source.ImageSource;
import ai.onestep.data.source.Item;
import ai.onestep.data.source.ItemReader;
import ai.onestep.data.source.Listing;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder prep job on embedded Spark: awkward files counted, deterministic shards, atomic commit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepJobTest {
    @TempDir
    static Path tmp;
    JavaSparkContext sc;
    Path input;

    /** Writes a class-folder tree with 9 good photos and every awkward case of the issue. */
    public static Path makeFolder(Path root) throws IOException {
        Path cats = Files.createDirectories(root.resolve("cats"));
        Path dogs = Files.createDirectories(root.resolve("dogs"));
        for (int i = 0; i < 5; i++) {
            Files.write(cats.resolve("cat" + i + ".jpg"), ImageFixtures.jpeg(ImageFixtures.rgb(120 + 10 * i, 90, i)));
        }
        for (int i = 0; i < 4; i++) {
            Files.write(dogs.resolve("dog" + i + ".png"), ImageFixtures.encode(ImageFixtures.rgb(80, 100 + i, i + 3), "png"));
        }
        byte[] jpeg = ImageFixtures.jpeg(ImageFixtures.rgb(200, 150, 7));
        Files.write(dogs.resolve("corrupt.jpg"), ImageFixtures.corruptJpeg(jpeg));
        Files.write(dogs.resolve("truncated.jpg"), ImageFixtures.truncated(jpeg, 0.5));
        Files.write(dogs.resolve("cmyk.jpg"), ImageFixtures.cmykJpeg(64, 48));
        Files.write(dogs.resolve("really-a-png.JPEG"), ImageFixtures.encode(ImageFixtures.rgb(64, 64, 1), "png"));
        Files.write(cats.resolve("gray.jpg"), ImageFixtures.jpeg(ImageFixtures.gray(70, 50)));
        Files.write(cats.resolve("deep.png"), ImageFixtures.encode(ImageFixtures.gray16(40, 40), "png"));
        Files.write(cats.resolve("empty.jpg"), new byte[0]);
        Files.write(cats.resolve("notes.txt"), "not an image".getBytes());
        Files.write(cats.resolve("rotated.jpg"), ImageFixtures.withExifOrientation(ImageFixtures.jpeg(ImageFixtures.rgb(60, 40, 2)), 6));
        Files.write(cats.resolve("bomb.png"), ImageFixtures.pngBomb(30000, 30000));
        return root;
    }

    @BeforeAll
    void start() throws IOException {
        sc = LocalSpark.start("prep-test");
        input = makeFolder(Files.createDirectories(tmp.resolve("in")));
    }

    @AfterAll
    void stop() {
        sc.stop();
    }

    PrepConfig cfg(String out) {
        // 16x16x3 = 768 bytes per image: 4 images per shard
        return PrepConfig.of(new FolderSource(input.toUri().toString(), true), tmp.resolve(out).toUri().toString(), 16)
                .withShardBytes(4 * 768);
    }

    Manifest prep(PrepConfig c) throws IOException {
        return PrepJob.run(sc, PrepJob.plan(c, sc.hadoopConfiguration()));
    }

    static List<Row> rows(ShardSet set) throws IOException {
        List<Row> out = new ArrayList<>();
        for (org.apache.hadoop.fs.Path f : set.files()) {
            try (ShardReader r = new ShardReader(f, new Configuration())) {
                for (Row row = r.next(); row != null; row = r.next()) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    @Test
    void awkwardFilesAreConvertedOrSkippedAndCounted() throws IOException {
        Manifest m = prep(cfg("out-counts"));
        // 9 photos + cmyk, png-named-JPEG, gray, 16-bit, rotated = 14 kept; 5 skipped
        assertEquals(14, m.count());
        assertEquals(Map.of("skipped:corrupt", 1L, "skipped:truncated", 1L, "skipped:empty-file", 1L,
                "skipped:not-an-image", 1L, "skipped:too-large", 1L), filter(m.outcomes(), "skipped:"));
        assertEquals(1L, m.outcomes().get("converted:cmyk"));
        assertEquals(2L, m.outcomes().get("converted:grayscale"));
        assertEquals(1L, m.outcomes().get("converted:16-bit"));
        assertEquals(1L, m.outcomes().get("converted:exif-rotated"));
        assertEquals(1L, m.outcomes().get("converted:format-differs-from-name"));
        assertEquals(List.of("cats", "dogs"), m.classes());
        assertEquals(5, m.shards().size()); // 19 files cut into shards of 4
        String line = PrepJob.summary(m, "out");
        assertTrue(line.contains("skipped 5 (corrupt 1, empty-file 1, not-an-image 1, too-large 1, truncated 1)"), line);

        ShardSet set = ShardSet.open(tmp.resolve("out-counts").toUri().toString(), new Configuration());
        List<Row> rows = rows(set);
        assertEquals(14, rows.size());
        for (Row r : rows) {
            assertEquals(16, r.pixels().height());
            assertEquals(3, r.pixels().channels(), "gray images become RGB in a colour set: " + r.key());
            assertEquals(r.key().startsWith("cats/") ? 0 : 1, r.label(), r.key());
        }
    }

    static Map<String, Long> filter(Map<String, Long> m, String prefix) {
        Map<String, Long> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static byte[][] shardBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted()
                    .map(p -> {
                        try {
                            return Files.readAllBytes(p);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }).toArray(byte[][]::new);
        }
    }

    @Test
    void sameInputAndSeedGiveByteIdenticalShards() throws IOException {
        prep(cfg("det-a").withShuffle(42L));
        prep(cfg("det-b").withShuffle(42L));
        prep(cfg("det-c").withShuffle(43L));
        byte[][] a = shardBytes(tmp.resolve("det-a"));
        byte[][] b = shardBytes(tmp.resolve("det-b"));
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "shard " + i + " differs between identical runs");
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("det-a/_manifest.json")),
                Files.readAllBytes(tmp.resolve("det-b/_manifest.json")));
        List<String> keysA = rows(ShardSet.open(tmp.resolve("det-a").toString(), new Configuration())).stream().map(Row::key).toList();
        List<String> keysC = rows(ShardSet.open(tmp.resolve("det-c").toString(), new Configuration())).stream().map(Row::key).toList();
        assertNotEquals(keysA, keysC, "a different seed must shuffle differently");
        assertEquals(keysA.stream().sorted().toList(), keysC.stream().sorted().toList());
    }

    @Test
    void rerunIntoExistingOutputIsRefusedUnlessOverwrite() throws IOException {
        prep(cfg("again"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prep(cfg("again")));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"), e.getMessage());
        Manifest m = prep(cfg("again").withOverwrite(true).withChannels(1));
        assertEquals(1, m.channels());
        assertEquals(1, ShardSet.open(tmp.resolve("again").toString(), new Configuration()).manifest().channels());
    }

    /** A source whose storage fails for one item: the task, and so the job, fails. */
    record FailingSource(ImageSource inner) implements ImageSource {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public Listing list(Configuration conf) throws IOException {
            return inner.list(conf);
        }

        @Override
        public ItemReader open(Configuration conf, ImageDecoder decoder) throws IOException {
            ItemReader r = inner.open(conf, decoder);
            return new ItemReader() {
                @Override
                public ImageDecoder.Decoded read(Item item) throws SkippedImageException, IOException {
                    if (item.key().equals("dogs/dog2.png")) {
                        throw new IOException("storage went away");
                    }
                    return r.read(item);
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        }

        @Override
        public String describe() {
            return "failing";
        }
    }

    @Test
    void aFailedJobLeavesNothingThatLooksComplete() throws IOException {
        PrepConfig c = cfg("failed");
        PrepConfig failing = new PrepConfig(new FailingSource(c.source()), c.output(), 16, 0, c.shardBytes(), null,
                false, c.maxPixels());
        assertThrows(Exception.class, () -> prep(failing));
        assertFalse(Files.exists(tmp.resolve("failed")), "a failed job must not leave its output directory");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".failed.tmp")), "temporary directory left");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardSet.open(tmp.resolve("failed").toString(), new Configuration()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void missingInputIsOneClearLine() {
        PrepConfig c = PrepConfig.of(new FolderSource(tmp.resolve("nope").toString(), false), tmp.resolve("o").toString(), 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepJob.plan(c, new Configuration()));
        assertEquals("input does not exist: " + tmp.resolve("nope"), e.getMessage());
    }
}
