package ai.onestep.conf;

import ai.onestep.util.Check;

/** The {@code data} section: prepared shards (any Hadoop URI), or the generated 2-D toy distribution. */
public record DataSettings(Kind kind, String path, boolean flip) {
    /** Where training images come from. */
    public enum Kind { SHARDS, TOY2D }

    public DataSettings {
        Check.that(kind != null, "data.kind needs a value");
        Check.that(kind != Kind.SHARDS || !path.isBlank(), "data.path must name a shard directory for data.kind = shards");
    }
}
