package ai.onestep.conf;

import ai.onestep.util.Check;

import java.util.List;

/** The {@code data} section: prepared shards (any Hadoop URI), or the generated 2-D toy distribution. */
public record DataSettings(String kind, String path, boolean flip) {
    public DataSettings {
        MethodSettings.oneOf("data.kind", kind, List.of("shards", "toy2d"));
        Check.that(!kind.equals("shards") || !path.isBlank(), "data.path must name a shard directory for data.kind = shards");
    }
}
