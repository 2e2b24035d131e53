package ai.onestep.util;

/** Validation helpers for config records: each failure names the field and the allowed range. */
public final class Check {
    private Check() {
    }

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0 (got " + value + ")");
        }
        return value;
    }

    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0 (got " + value + ")");
        }
        return value;
    }

    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0 (got " + value + ")");
        }
        return value;
    }

    public static int nonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 (got " + value + ")");
        }
        return value;
    }

    public static double inRange(String field, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "] (got " + value + ")");
        }
        return value;
    }

    public static double inHalfOpen(String field, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + ") (got " + value + ")");
        }
        return value;
    }

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A non-empty list of strictly descending times, none below {@code floor}; returns a copy. */
    public static double[] descendingTimes(String what, double[] times, double floor) {
        that(times != null && times.length >= 1, what + " needs at least one time");
        for (int i = 1; i < times.length; i++) {
            that(times[i] < times[i - 1], what + " times must descend (got " + times[i - 1] + " then " + times[i] + ")");
        }
        that(times[times.length - 1] >= floor, what + " times must be >= sigma_min " + floor);
        return times.clone();
    }
}
