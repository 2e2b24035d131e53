package ai.onestep.data.shard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;

import java.io.IOException;

/** Writes rows to one Parquet shard (overwriting a stale attempt's file, so a retried task is harmless). */
public final class ShardWriter implements AutoCloseable {
    private final ParquetWriter<Group> writer;
    private final SimpleGroupFactory groups = new SimpleGroupFactory(ShardSchema.SCHEMA);
    private long rows;

    public ShardWriter(Path file, Configuration conf) throws IOException {
        writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withType(ShardSchema.SCHEMA)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withDictionaryEncoding(false)
                .withRowGroupSize(64L << 20)
                .withPageSize(1 << 20)
                .build();
    }

    public void write(Row row) throws IOException {
        Group g = groups.newGroup()
                .append("key", row.key())
                .append("label", row.label())
                .append("height", row.pixels().height())
                .append("width", row.pixels().width())
                .append("channels", row.pixels().channels())
                .append("pixels", Binary.fromConstantByteArray(row.pixels().data()));
        writer.write(g);
        rows++;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
