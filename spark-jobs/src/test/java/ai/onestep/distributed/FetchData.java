package ai.onestep.distributed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The repository's bin/fetch-data, as a user runs it: datasets are fetched into a cache, never committed. */
final class FetchData {
    private FetchData() {
    }

    /** bin/fetch-data WHAT: the path it prints; fails loudly when it cannot. */
    static String fetch(String what) throws Exception {
        return fetch(what, null);
    }

    /** bin/fetch-data WHAT DIR (DIR null: the default cache). */
    static String fetch(String what, Path dir) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("fetch-data");
        ProcessBuilder pb = dir == null ? new ProcessBuilder("bash", script.toString(), what)
                : new ProcessBuilder("bash", script.toString(), what, dir.toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/fetch-data " + what + " failed: " + out);
        }
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
