package ai.onestep.distributed;

import ai.onestep.files.HadoopFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** metrics.jsonl is valid JSON on every line, a diverged (non-finite) loss included, and reads back. */
class MetricsLogTest {
    @TempDir
    Path tmp;

    @Test
    void nonFiniteValuesAreNullAndReadBackAsNaN() throws Exception {
        HadoopFiles files = new HadoopFiles(tmp.toUri().toString(), new Configuration());
        MetricsLog log = new MetricsLog(files, "metrics.jsonl");
        log.add(new RoundMetrics(1, 3, 10, 0.25, 11, 0.9, 2e-4, 100, 1.5, 0.5, 20));
        log.add(new RoundMetrics(2, 3, 20, Double.NaN, 11, 0.9, 2e-4, Double.POSITIVE_INFINITY, 1.5, 0.5, 10));
        log.flush();
        List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals(0.25, first.get("loss").asDouble());
        assertEquals(11, first.get("N").asInt());
        JsonNode second = json.readTree(lines.get(1));
        assertTrue(second.get("loss").isNull(), lines.get(1));
        assertTrue(second.get("images_per_s").isNull(), lines.get(1));
        List<double[]> history = new MetricsLog(files, "metrics.jsonl").history();
        assertEquals(0.25, history.get(0)[2]);
        assertEquals(20.0, history.get(1)[1]);
        assertTrue(Double.isNaN(history.get(1)[2]));
    }

    static RoundMetrics round(long r) {
        return new RoundMetrics(r, 100, r * 10, 1.0 / r, 11, 0.9, 2e-4, 100, 1.5, 0.5, 20);
    }

    @Test
    void flushesAppendTheNewRoundsAndResumeRewrites() throws Exception {
        HadoopFiles files = new HadoopFiles(tmp.toUri().toString(), new Configuration());
        Path file = tmp.resolve("metrics.jsonl");
        MetricsLog log = new MetricsLog(files, "metrics.jsonl");
        log.add(round(1));
        log.add(round(2));
        log.flush();
        List<String> lines = Files.readAllLines(file);
        lines.set(0, "{\"round\":1,\"marker\":true}");
        Files.write(file, lines);
        log.add(round(3));
        log.flush();
        List<String> after = Files.readAllLines(file);
        assertEquals(3, after.size());
        assertTrue(after.get(0).contains("marker"), "the lines on disk stay; only round 3 is written: " + after);
        assertEquals(3, new ObjectMapper().readTree(after.get(2)).get("round").asInt());

        // a crash in the middle of an append leaves a partial line, which reading drops
        Files.writeString(file, "{\"round\":4,\"st", java.nio.file.StandardOpenOption.APPEND);
        MetricsLog resumed = new MetricsLog(files, "metrics.jsonl");
        assertEquals(3, resumed.history().size());
        resumed.truncateAfter(2);
        resumed.flush();
        List<String> cut = Files.readAllLines(file);
        assertEquals(2, cut.size(), "resuming at round 2 rewrites the file: " + cut);
        assertEquals(List.of(), lines(tmp, ".crc"));
    }

    private static List<Path> lines(Path dir, String suffix) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }
}
