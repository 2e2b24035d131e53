package ai.onestep.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory figures (Linux /proc) for benchmarks and progress lines. */
public final class Memory {
    private Memory() {
    }

    /** Resident set size in MB, or -1 when unavailable. */
    public static long rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
