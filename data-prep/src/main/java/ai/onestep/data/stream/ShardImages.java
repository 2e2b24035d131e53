package ai.onestep.data.stream;

import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardSet;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;

/** The first images of a shard set in shard order, scaled as training reads them: for classifiers and references. */
public final class ShardImages {
    private ShardImages() {
    }

    /** Up to {@code limit} images (all of them when the set is smaller), never flipped. */
    public static Batch read(String uri, int limit, Configuration conf) throws IOException {
        List<Row> rows = ShardSet.open(uri, conf).firstRows(limit, conf);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(uri + " holds no images");
        }
        return Batch.of(rows, new boolean[rows.size()], null);
    }
}
