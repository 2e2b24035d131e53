package ai.onestep.data.shard;

import ai.onestep.image.Pixels;

/** One shard row: an image's key, label (-1 = none) and its HWC uint8 pixels. */
public record Row(String key, int label, Pixels pixels) {
}
