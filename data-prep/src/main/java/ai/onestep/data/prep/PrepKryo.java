package ai.onestep.data.prep;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;

/**
 * Registers what a prep job ships between driver and executors, for Spark contexts that require Kryo registration
 * (the trainer's): shard tasks and their results, written with Java serialization (they are records holding lists
 * and maps, sent once per shard, so speed does not matter).
 */
public final class PrepKryo {
    private PrepKryo() {
    }

    public static void register(Kryo kryo) {
        kryo.register(ShardTask.class, new JavaSerializer());
        kryo.register(ShardResult.class, new JavaSerializer());
    }
}
