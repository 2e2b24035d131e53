package ai.onestep.data.source;

import java.io.Serializable;

/**
 * One input image as listed on the driver: a stable key (its name in the shards), a class index (-1 = none) and
 * where its reader finds it (a file URI, an LMDB key, a record index).
 */
public record Item(String key, int label, String locator) implements Serializable {
}
