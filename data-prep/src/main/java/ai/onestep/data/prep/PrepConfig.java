package ai.onestep.data.prep;

import ai.onestep.image.ImageDecoder;
import ai.onestep.data.source.ImageSource;
import ai.onestep.util.Check;

/**
 * A validated prep job: what to read, where to write, at what size.
 *
 * @param channels    1 or 3 to force, 0 for the source's own (RGB for photos, 1 for IDX)
 * @param shardBytes  target shard size in bytes of pixel data (default about 256 MB)
 * @param shuffleSeed global shuffle of the item order with this seed; null keeps key order
 */
public record PrepConfig(ImageSource source, String output, int resolution, int channels, long shardBytes,
                         Long shuffleSeed, boolean overwrite, long maxPixels) implements java.io.Serializable {
    public static final long DEFAULT_SHARD_BYTES = 256L << 20;

    public PrepConfig {
        Check.that(source != null, "source is required");
        Check.that(output != null && !output.isBlank(), "--output is required");
        Check.that(resolution >= 1 && resolution <= 4096, "resolution must be in 1..4096 (got " + resolution + ")");
        Check.that(channels == 0 || channels == 1 || channels == 3, "channels must be 1 or 3 (got " + channels + ")");
        Check.that(shardBytes >= 1, "shard size must be positive (got " + shardBytes + ")");
        Check.that(maxPixels >= 1, "max pixels must be positive (got " + maxPixels + ")");
    }

    public static PrepConfig of(ImageSource source, String output, int resolution) {
        return new PrepConfig(source, output, resolution, 0, DEFAULT_SHARD_BYTES, null, false,
                ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    public PrepConfig withShardBytes(long b) {
        return new PrepConfig(source, output, resolution, channels, b, shuffleSeed, overwrite, maxPixels);
    }

    public PrepConfig withShuffle(Long seed) {
        return new PrepConfig(source, output, resolution, channels, shardBytes, seed, overwrite, maxPixels);
    }

    public PrepConfig withOverwrite(boolean o) {
        return new PrepConfig(source, output, resolution, channels, shardBytes, shuffleSeed, o, maxPixels);
    }

    public PrepConfig withChannels(int c) {
        return new PrepConfig(source, output, resolution, c, shardBytes, shuffleSeed, overwrite, maxPixels);
    }
}
