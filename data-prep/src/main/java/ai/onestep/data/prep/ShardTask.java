package ai.onestep.data.prep;

import ai.onestep.data.source.Item;

import java.io.Serializable;
import java.util.List;

/** The items of one output shard, in their final order. */
record ShardTask(int index, String file, List<Item> items) implements Serializable {
}
