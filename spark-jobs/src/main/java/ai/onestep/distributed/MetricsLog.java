package ai.onestep.distributed;

import ai.onestep.files.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's metrics file, one JSON object per round. A flush appends the rounds logged since the last one; the file
 * is rewritten whole (under a temporary name, then renamed) only when its lines on disk are not what the log holds:
 * at the first flush, after a resume cut it back to the checkpoint's round, or on file systems without append.
 * A line cut short by a crash is dropped on reading.
 */
final class MetricsLog {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final HadoopFiles files;
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final List<double[]> history = new ArrayList<>();
    /** Lines of {@link #lines} the file holds as they are; -1: the file must be rewritten. */
    private int onDisk = -1;
    private boolean appendable = true;

    MetricsLog(HadoopFiles files, String name) throws IOException {
        this.files = files;
        this.name = name;
        if (files.exists(name)) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(files.open(name), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        double[] h;
                        try {
                            h = parse(line);
                        } catch (IOException e) {
                            continue; // cut short by a crash while appending
                        }
                        lines.add(line);
                        history.add(h);
                    }
                }
            }
        }
    }

    private static double[] parse(String line) throws IOException {
        com.fasterxml.jackson.databind.JsonNode o = JSON.readTree(line);
        return new double[]{number(o, "round"), number(o, "step"), number(o, "loss")};
    }

    /** A logged number; null (a non-finite value) and absent read as NaN. */
    private static double number(com.fasterxml.jackson.databind.JsonNode o, String key) {
        com.fasterxml.jackson.databind.JsonNode v = o.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    void add(RoundMetrics m) {
        lines.add(m.json());
        history.add(new double[]{m.round(), m.step(), m.loss()});
    }

    /** (round, step, loss) of every logged round. */
    List<double[]> history() {
        return List.copyOf(history);
    }

    void truncateAfter(long round) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (history.get(i)[0] > round) {
                lines.remove(i);
                history.remove(i);
                onDisk = -1;
            }
        }
    }

    void flush() throws IOException {
        if (appendable && onDisk >= 0 && onDisk < lines.size()) {
            try (OutputStream o = files.appendOrNull(name)) {
                if (o != null) {
                    for (String l : lines.subList(onDisk, lines.size())) {
                        o.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    onDisk = lines.size();
                    return;
                }
            } catch (IOException e) {
                // an append this file system refused (HDFS with too few datanodes to recover a pipeline): the
                // rewrite below replaces whatever the attempt left
            }
            appendable = false;
            onDisk = -1;
        }
        if (onDisk == lines.size()) {
            return;
        }
        String tmp = "." + name + ".tmp";
        try (OutputStream o = files.create(tmp)) {
            for (String l : lines) {
                o.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        files.rename(tmp, name);
        onDisk = lines.size();
    }
}
