package ai.onestep.distributed;

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
}
