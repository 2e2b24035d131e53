package ai.onestep.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's metrics file, one JSON object per round. Rewritten whole under a temporary name and renamed (works on
 * every Hadoop FileSystem, including those without append); on resume it is cut back to the checkpoint's round.
 */
final class MetricsLog {
    private final HadoopFiles files;
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final List<double[]> history = new ArrayList<>();

    MetricsLog(HadoopFiles files, String name) throws IOException {
        this.files = files;
        this.name = name;
        if (files.exists(name)) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(files.open(name), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(line);
                        history.add(parse(line));
                    }
                }
            }
        }
    }

    private static double[] parse(String line) {
        return new double[]{number(line, "\"round\":"), number(line, "\"step\":"), number(line, "\"loss\":")};
    }

    private static double number(String line, String key) {
        int i = line.indexOf(key);
        if (i < 0) {
            return Double.NaN;
        }
        int j = i + key.length();
        int e = j;
        while (e < line.length() && ",}".indexOf(line.charAt(e)) < 0) {
            e++;
        }
        return Double.parseDouble(line.substring(j, e));
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
            }
        }
    }

    void flush() throws IOException {
        String tmp = "." + name + ".tmp";
        try (OutputStream o = files.create(tmp)) {
            for (String l : lines) {
                o.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        files.rename(tmp, name);
    }
}
