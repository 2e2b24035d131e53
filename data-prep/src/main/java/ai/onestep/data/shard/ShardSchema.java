package ai.onestep.data.shard;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** The Parquet schema of a shard row (docs/data.md). */
final class ShardSchema {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message onestep_shard {
              required binary key (STRING);
              required int32 label;
              required int32 height;
              required int32 width;
              required int32 channels;
              required binary pixels;
            }""");

    private ShardSchema() {
    }
}
