package ai.onestep.data.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code _manifest.json} of a shard set (docs/data.md): written last, so a directory without it is not a shard set.
 * Holds no time stamps, so the same input and seed give a byte-identical manifest too.
 */
public record Manifest(int formatVersion, String dataset, String input, int resolution, int channels, long count,
                       List<String> classes, String preprocessing, Long shuffleSeed, List<Shard> shards,
                       Map<String, Long> outcomes) {
    public static final String FILE = "_manifest.json";
    public static final int FORMAT_VERSION = 1;
    public static final String PREPROCESSING = "guided-diffusion center_crop_arr: box-halve while short side >= 2x, "
            + "bicubic to the short side, centre crop (Pillow-exact); EXIF orientation applied; HWC uint8";

    /** One Parquet file and its row count. */
    public record Shard(String file, long rows) {
    }

    public Manifest {
        classes = List.copyOf(classes);
        shards = List.copyOf(shards);
        outcomes = new TreeMap<>(outcomes);
    }

    public long skipped() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("skipped:")).mapToLong(Map.Entry::getValue).sum();
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Manifest fromJson(byte[] json, String where) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a shard manifest: " + where + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
