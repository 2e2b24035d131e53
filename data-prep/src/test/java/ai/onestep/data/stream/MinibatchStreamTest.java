package ai.onestep.data.stream;

import ai.onestep.testing.LocalSpark;
import ai.onestep.files.HadoopConf;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.source.IdxSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training reader: partitioned, shuffled per epoch, resumable, flipped on request. */
class MinibatchStreamTest {
    @TempDir
    static Path tmp;
    static ShardSet set;
    static final int N = 37;

    @BeforeAll
    static void prepare() throws IOException {
        Path idx = Files.createDirectories(tmp.resolve("idx"));
        try (OutputStream o = Files.newOutputStream(idx.resolve("train-images-idx3-ubyte"));
             DataOutputStream d = new DataOutputStream(o)) {
            d.writeInt(0x803);
            d.writeInt(N);
            d.writeInt(4);
            d.writeInt(6);
            for (int i = 0; i < N; i++) {
                for (int p = 0; p < 24; p++) {
                    d.write((i * 7 + p * 11) % 256);
                }
            }
        }
        JavaSparkContext sc = LocalSpark.start("stream-test");
        try {
            // 4x6 images centre-cropped to 4x4; 5 images per shard -> 8 shards
            PrepJob.run(sc, PrepJob.plan(PrepConfig.of(new IdxSource(idx.toString(), "train"),
                    tmp.resolve("shards").toString(), 4).withShardBytes(5 * 16), sc.hadoopConfiguration()));
        } finally {
            sc.stop();
        }
        set = ShardSet.open(tmp.resolve("shards").toString(), new Configuration());
        assertEquals(8, set.manifest().shards().size());
    }

    static MinibatchStream open(int worker, int workers, int batch, boolean flip, Position at) {
        return new MinibatchStream(set, new HadoopConf(new Configuration()),
                new MinibatchStream.Options(worker, workers, batch, flip, 7L, 3), at);
    }

    static List<String> keys(MinibatchStream s, int images) {
        List<String> out = new ArrayList<>();
        while (out.size() < images) {
            Batch b = s.next();
            out.addAll(List.of(b.keys()));
        }
        return out;
    }

    @Test
    void everyImageGoesToExactlyOneWorkerPerEpoch() {
        try (MinibatchStream w0 = open(0, 2, 1, false, Position.start(0));
             MinibatchStream w1 = open(1, 2, 1, false, Position.start(1))) {
            assertEquals(18, w0.epochSize());
            assertEquals(19, w1.epochSize());
            for (int epoch = 0; epoch < 3; epoch++) {
                Set<String> all = new HashSet<>(keys(w0, 18));
                assertEquals(18, all.size(), "worker 0 repeated an image within an epoch");
                assertEquals(new Position(0, epoch + 1, 0), w0.position());
                for (String k : keys(w1, 19)) {
                    assertTrue(all.add(k), k + " went to both workers, or twice to worker 1");
                }
                assertEquals(N, all.size());
            }
        }
    }

    @Test
    void epochsAreReshuffled() {
        try (MinibatchStream s = open(0, 1, 37, false, Position.start(0))) {
            List<String> e0 = List.of(s.next().keys());
            List<String> e1 = List.of(s.next().keys());
            assertNotEquals(e0, e1);
            assertEquals(new HashSet<>(e0), new HashSet<>(e1));
        }
    }

    @Test
    void resumingFromAPositionContinuesExactly() {
        List<Batch> straight = new ArrayList<>();
        Position after5;
        try (MinibatchStream s = open(0, 1, 4, true, Position.start(0))) {
            for (int i = 0; i < 12; i++) {
                straight.add(s.next());
            }
            after5 = straight.get(4).after();
        }
        try (MinibatchStream s = open(0, 1, 4, true, after5)) {
            for (int i = 5; i < 12; i++) {
                Batch b = s.next();
                assertArrayEquals(straight.get(i).keys(), b.keys(), "batch " + i);
                assertArrayEquals(straight.get(i).x(), b.x(), "batch " + i);
                assertEquals(straight.get(i).after(), b.after());
            }
        }
    }

    @Test
    void valuesAreScaledToMinusOneOneAndFlipsMirror() {
        try (MinibatchStream plain = open(0, 1, 37, false, Position.start(0));
             MinibatchStream flipped = open(0, 1, 37, true, Position.start(0))) {
            Batch a = plain.next();
            Batch b = flipped.next();
            assertArrayEquals(a.keys(), b.keys());
            assertArrayEquals(new long[]{37, 1, 4, 4}, a.shape());
            int mirrored = 0;
            for (int i = 0; i < 37; i++) {
                boolean same = true;
                boolean mirror = true;
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        float va = a.x()[i * 16 + y * 4 + x];
                        assertTrue(va >= -1f && va <= 1f);
                        same &= va == b.x()[i * 16 + y * 4 + x];
                        mirror &= va == b.x()[i * 16 + y * 4 + (3 - x)];
                    }
                }
                assertTrue(same || mirror, "image " + i + " neither kept nor mirrored");
                mirrored += same ? 0 : 1;
            }
            assertTrue(mirrored > 8 && mirrored < 29, "about half should be mirrored, got " + mirrored);
        }
    }
}
