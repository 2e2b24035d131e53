package ai.onestep.data.prep;

import ai.onestep.testing.ImageFixtures;
import ai.onestep.testing.LocalSpark;
import ai.onestep.data.shard.Manifest;
import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.source.ImageNetSource;
import ai.onestep.data.source.LsunSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each dataset layout of the original work, as a generated fixture, through the Spark prep job. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourcesTest {
    @TempDir
    static Path tmp;
    JavaSparkContext sc;

    @BeforeAll
    void start() {
        sc = LocalSpark.start("sources-test");
    }

    @AfterAll
    void stop() {
        sc.stop();
    }

    Manifest prep(PrepConfig c) throws IOException {
        return PrepJob.run(sc, PrepJob.plan(c, sc.hadoopConfiguration()));
    }

    static int idxPixel(int i, int y, int x) {
        return (i * 31 + y * 9 + x * 5) % 256;
    }

    /** MNIST-format files: n images of 28x28 and their labels, gzipped or not. */
    static void writeIdx(Path dir, String split, int n, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(img);
        d.writeInt(0x803);
        d.writeInt(n);
        d.writeInt(28);
        d.writeInt(28);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    d.write(idxPixel(i, y, x));
                }
            }
        }
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(lab);
        l.writeInt(0x801);
        l.writeInt(n);
        for (int i = 0; i < n; i++) {
            l.write(i % 10);
        }
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(split + "-images-idx3-ubyte" + ext), img.toByteArray(), gzip);
        write(dir.resolve(split + "-labels-idx1-ubyte" + ext), lab.toByteArray(), gzip);
    }

    static void write(Path p, byte[] b, boolean gzip) throws IOException {
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(b);
        }
    }

    @Test
    void idxFilesGzippedOrNotKeepExactPixelsAndLabels() throws IOException {
        for (boolean gzip : new boolean[]{false, true}) {
            Path dir = tmp.resolve("idx-" + gzip);
            writeIdx(dir, "t10k", 12, gzip);
            Manifest m = prep(PrepConfig.of(new IdxSource(dir.toString(), "t10k"), tmp.resolve("idx-out-" + gzip).toString(), 28));
            assertEquals(12, m.count());
            assertEquals(1, m.channels());
            assertEquals(10, m.classes().size());
            List<Row> rows = PrepJobTest.rows(ShardSet.open(tmp.resolve("idx-out-" + gzip).toString(), new Configuration()));
            for (Row r : rows) {
                int i = Integer.parseInt(r.key().substring("t10k/".length()));
                assertEquals(i % 10, r.label());
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        assertEquals(idxPixel(i, y, x), r.pixels().at(y, x, 0), r.key() + " at " + y + "," + x);
                    }
                }
            }
        }
        Manifest rgb = prep(PrepConfig.of(new IdxSource(tmp.resolve("idx-true").toString(), "t10k"),
                tmp.resolve("idx-rgb").toString(), 32).withChannels(3));
        assertEquals(3, rgb.channels());
        assertEquals(32, rgb.resolution());
    }

    @Test
    void idxWithWrongMagicIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad-idx"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepJob.plan(
                PrepConfig.of(new IdxSource(dir.toString(), "train"), tmp.resolve("x").toString(), 28), new Configuration()));
        assertTrue(e.getMessage().contains("is not an IDX unsigned-byte image file"), e.getMessage());
    }

    @Test
    void imagenetTrainLayoutLabelsBySortedWnid() throws IOException {
        Path train = tmp.resolve("imagenet/train");
        String[] wnids = {"n02085620", "n01440764", "n01443537"};
        for (int c = 0; c < wnids.length; c++) {
            Path d = Files.createDirectories(train.resolve(wnids[c]));
            for (int i = 0; i < 2; i++) {
                Files.write(d.resolve(wnids[c] + "_" + i + ".JPEG"), ImageFixtures.jpeg(ImageFixtures.rgb(100, 75, c)));
            }
        }
        Manifest m = prep(PrepConfig.of(new ImageNetSource(train.toString(), null), tmp.resolve("in-train").toString(), 32));
        assertEquals(List.of("n01440764", "n01443537", "n02085620"), m.classes());
        for (Row r : PrepJobTest.rows(ShardSet.open(tmp.resolve("in-train").toString(), new Configuration()))) {
            assertEquals(m.classes().indexOf(r.key().substring(0, 9)), r.label(), r.key());
        }

        Path val = Files.createDirectories(tmp.resolve("imagenet/val"));
        Files.write(val.resolve("ILSVRC2012_val_00000001.JPEG"), ImageFixtures.jpeg(ImageFixtures.rgb(90, 60, 0)));
        Files.write(val.resolve("ILSVRC2012_val_00000002.JPEG"), ImageFixtures.jpeg(ImageFixtures.rgb(90, 60, 1)));
        Path csv = tmp.resolve("imagenet/LOC_val_solution.csv");
        Files.writeString(csv, "ImageId,PredictionString\nILSVRC2012_val_00000001,n01443537 1 2 3 4\n"
                + "ILSVRC2012_val_00000002,n01440764 5 6 7 8 n01440764 1 1 2 2\n");
        Manifest v = prep(PrepConfig.of(new ImageNetSource(val.toString(), csv.toString()), tmp.resolve("in-val").toString(), 32));
        assertEquals(List.of("n01440764", "n01443537"), v.classes());
        List<Row> rows = PrepJobTest.rows(ShardSet.open(tmp.resolve("in-val").toString(), new Configuration()));
        assertEquals(1, rows.get(0).label());
        assertEquals(0, rows.get(1).label());

        Path notImagenet = Files.createDirectories(tmp.resolve("imagenet/bad/cats"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepJob.plan(
                PrepConfig.of(new ImageNetSource(notImagenet.getParent().toString(), null), tmp.resolve("y").toString(), 32),
                new Configuration()));
        assertTrue(e.getMessage().contains("'cats'") && e.getMessage().contains("WordNet id"), e.getMessage());
    }

    @Test
    void lsunLmdbOfWebpImages() throws IOException {
        Path db = Files.createDirectories(tmp.resolve("bedroom_train_lmdb"));
        try (Env<ByteBuffer> env = Env.create().setMapSize(16L << 20).open(db.toFile())) {
            Dbi<ByteBuffer> dbi = env.openDbi((String) null, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = 0; i < 3; i++) {
                    put(dbi, txn, "key" + i, resource("/webp/img" + i + ".webp"));
                }
                put(dbi, txn, "key3", "broken".getBytes(StandardCharsets.US_ASCII));
                txn.commit();
            }
        }
        Manifest m = prep(PrepConfig.of(new LsunSource(db.toString(), "bedroom"), tmp.resolve("lsun-out").toString(), 64));
        assertEquals(3, m.count());
        assertEquals(1L, m.outcomes().get("skipped:not-an-image"));
        List<Row> rows = PrepJobTest.rows(ShardSet.open(tmp.resolve("lsun-out").toString(), new Configuration()));
        Row r2 = rows.stream().filter(r -> r.key().equals("key2")).findFirst().orElseThrow();
        // img2 is a lossless 64x64 WebP: at resolution 64 the pixels come through exactly
        for (int y = 0; y < 64; y += 7) {
            for (int x = 0; x < 64; x += 5) {
                for (int c = 0; c < 3; c++) {
                    assertEquals((x * 5 + y * 3 + c * 60 + 2 * 17 + (x * y) % 7) % 256, r2.pixels().at(y, x, c));
                }
            }
        }
    }

    static void put(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, String key, byte[] value) {
        ByteBuffer k = ByteBuffer.allocateDirect(key.length());
        k.put(key.getBytes(StandardCharsets.US_ASCII)).flip();
        ByteBuffer v = ByteBuffer.allocateDirect(value.length);
        v.put(value).flip();
        dbi.put(txn, k, v);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SourcesTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
