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
}
