package ai.onestep.distributed;

import ai.onestep.data.stream.Position;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Every class that travels between driver and executors during training, for {@code spark.kryo.registrationRequired}:
 * the broadcast round state and the aggregated round sums, which carry parameters as flat float arrays.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(float[].class);
        kryo.register(double[].class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(Position.class, new Serializer<Position>() { // a record: written field by field
            @Override
            public void write(Kryo k, Output out, Position p) {
                out.writeInt(p.worker());
                out.writeLong(p.epoch());
                out.writeLong(p.offset());
            }

            @Override
            public Position read(Kryo k, Input in, Class<Position> type) {
                return new Position(in.readInt(), in.readLong(), in.readLong());
            }
        });
        kryo.register(Position[].class);
        kryo.register(RoundState.class);
        kryo.register(RoundSum.class);
        kryo.register(RoundExchange.Part.class);
        kryo.register(Integer.class);
        ai.onestep.data.prep.PrepKryo.register(kryo); // prep jobs run in training contexts too (quickstart)
        kryo.register(Object[].class);
        // onestep eval: per-partition features and FID sums
        kryo.register(ai.onestep.evaluation.EvalPart.class);
        kryo.register(ai.onestep.evaluation.EvalPart.Chunk.class);
        kryo.register(ai.onestep.eval.metrics.FeatureSums.class);
        kryo.register(java.util.ArrayList.class);
        kryo.register(float[][].class);
        kryo.register(ChunkedFloats.class);
    }
}
