package ai.onestep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory and minor page faults, from Linux's /proc (zeros elsewhere). */
public record ProcessStats(long residentBytes, long minorFaults) {
    public static ProcessStats now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the parenthesised command name; minflt is field 10 of the whole line
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long minflt = Long.parseLong(f[7]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new ProcessStats(rss, minflt);
        } catch (IOException | RuntimeException e) {
            return new ProcessStats(0, 0);
        }
    }
}
