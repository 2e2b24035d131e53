package ai.onestep.data.shard;

import ai.onestep.image.Pixels;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;

import java.io.IOException;

/** Reads the rows of one Parquet shard in order. */
public final class ShardReader implements AutoCloseable {
    private final ParquetReader<Group> reader;

    public ShardReader(Path file, Configuration conf) throws IOException {
        reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build();
    }

    /** The next row, or null at the end of the shard. */
    public Row next() throws IOException {
        Group g = reader.read();
        if (g == null) {
            return null;
        }
        return new Row(g.getString("key", 0), g.getInteger("label", 0),
                new Pixels(g.getInteger("height", 0), g.getInteger("width", 0), g.getInteger("channels", 0),
                        g.getBinary("pixels", 0).getBytes()));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
