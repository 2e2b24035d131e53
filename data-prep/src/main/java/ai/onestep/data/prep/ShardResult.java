package ai.onestep.data.prep;

import java.io.Serializable;
import java.util.Map;

/** What a shard task wrote: rows kept, and outcome counts ("skipped:corrupt" -> 2). */
record ShardResult(int index, String file, long rows, Map<String, Long> outcomes) implements Serializable {
}
