package ai.onestep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's busy CPU time (all cores, from Linux's /proc/stat: user, nice, system, irq, softirq and the
 * hypervisor's steal) and this process's CPU time, to tell how much of the machine others used during a step.
 * Zeros where /proc/stat cannot be read, so every step then counts as clean.
 */
public record CpuSnapshot(double machineBusySeconds, double processSeconds) {
    /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100;

    public static CpuSnapshot now() {
        double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElse("").trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return new CpuSnapshot(busy / TICKS_PER_SECOND, process);
        } catch (IOException | RuntimeException e) {
            return new CpuSnapshot(0, 0);
        }
    }

    /** Cores' worth of CPU that other processes used between {@code before} and this snapshot. */
    public double foreignCoresSince(CpuSnapshot before, double wallSeconds) {
        if (machineBusySeconds == 0 || wallSeconds <= 0) {
            return 0;
        }
        double others = (machineBusySeconds - before.machineBusySeconds) - (processSeconds - before.processSeconds);
        return Math.max(0, others) / wallSeconds;
    }
}
