package ai.onestep.bench;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Resident memory of one benchmark run at the end of its warm-up and at the end of each tenth of its timed steps
 * (eleven readings). Memory that is flat reads the same from some early tenth on; a leak keeps climbing to the end.
 * Native allocators settle over more steps than the timing's warm-up (glibc's free lists among libnd4j's temporaries:
 * 20-80 steps of bench-unet32), so the trace shows both the settling and what follows it.
 */
public record ResidentTrace(List<Long> bytes) {
    private static final int TENTHS = 10;
    /** The readings: warm-up's end, then the end of tenths 1 to 10. */
    public static final int READINGS = TENTHS + 1;

    public ResidentTrace {
        bytes = List.copyOf(bytes);
        if (bytes.size() != READINGS) {
            throw new IllegalArgumentException("a resident trace has " + READINGS + " readings, got " + bytes.size());
        }
    }

    /**
     * The step index (counting warm-up steps from 0) before which reading {@code k} is taken: the warm-up's end for
     * 0, the end of the timed steps for 10.
     */
    public static int readingBefore(int k, int warmup, int iterations) {
        return warmup + k * iterations / TENTHS;
    }

    /** Resident bytes at the end of the run. */
    public long end() {
        return bytes.get(TENTHS);
    }

    /** Growth from the end of warm-up to the end (0 where /proc is unavailable). */
    public double growthFromWarmup() {
        return growth(0);
    }

    /** Growth from the end of the first tenth of the timed steps to the end. */
    public double growthAfterFirstTenth() {
        return growth(1);
    }

    /** Growth over the second half of the timed steps: what a leak shows and settling does not. */
    public double growthOverSecondHalf() {
        return growth(TENTHS / 2);
    }

    private double growth(int from) {
        long start = bytes.get(from);
        return start == 0 ? 0 : (double) end() / start - 1;
    }

    /** The readings in MB, comma-separated. */
    public String megabytes() {
        return bytes.stream().map(b -> Long.toString(b >> 20)).collect(Collectors.joining(","));
    }
}
