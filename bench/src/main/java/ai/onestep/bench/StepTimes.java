package ai.onestep.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Timed steps of a benchmark: each step's wall time and the CPU the rest of the machine used meanwhile, in cores
 * ({@link CpuSnapshot}). The figures issue 8 bounds are computed here once, for OneStep's steps and for the PyTorch
 * anchor's alike: the median, and the spread (the slowest of the last 100 steps over their median). "Clean" steps are
 * those during which other processes (and the hypervisor's steal) used less than {@link #CLEAN_FOREIGN_CORES}, the
 * anchor's own threshold for its reported median; on these shared 2-core machines the rest are often slow for reasons
 * outside the process.
 */
public record StepTimes(List<Double> seconds, List<Double> foreignCores) {
    /** The anchor's threshold (torch-unet-bench's Meter): steps with less foreign load count as clean. */
    public static final double CLEAN_FOREIGN_CORES = 0.15;
    /** The spread looks at this many last steps. */
    public static final int SPREAD_WINDOW = 100;

    public StepTimes {
        if (seconds.size() != foreignCores.size()) {
            throw new IllegalArgumentException("step times: " + seconds.size() + " times but " + foreignCores.size()
                    + " foreign-load readings");
        }
        seconds = List.copyOf(seconds);
        foreignCores = List.copyOf(foreignCores);
    }

    public int size() {
        return seconds.size();
    }

    /** The steps with less than {@link #CLEAN_FOREIGN_CORES} of foreign load, in order. */
    public StepTimes clean() {
        List<Double> s = new ArrayList<>();
        List<Double> f = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (foreignCores.get(i) < CLEAN_FOREIGN_CORES) {
                s.add(seconds.get(i));
                f.add(foreignCores.get(i));
            }
        }
        return new StepTimes(s, f);
    }

    /** Median step time (NaN without steps). */
    public double median() {
        return median(seconds);
    }

    /** The slowest of the last {@link #SPREAD_WINDOW} steps over their median (NaN without steps). */
    public double spread() {
        if (seconds.isEmpty()) {
            return Double.NaN;
        }
        List<Double> last = seconds.subList(Math.max(0, size() - SPREAD_WINDOW), size());
        return Collections.max(last) / median(last);
    }

    /** Mean foreign load over the steps, in cores. */
    public double meanForeignCores() {
        return foreignCores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
