package ai.onestep.schedule;

import ai.onestep.util.Check;

/**
 * The Karras et al. (2022) noise discretisation, eq. 5:
 * t_i = (s_max^(1/rho) + i/(N-1) (s_min^(1/rho) - s_max^(1/rho)))^rho, i = 0..N-1, descending from s_max to s_min.
 */
public record Karras(double sigmaMin, double sigmaMax, double rho) {
    public static final double SIGMA_MIN = 0.002;
    public static final double SIGMA_MAX = 80.0;
    public static final double RHO = 7.0;

    public Karras {
        Check.positive("sigmaMin", sigmaMin);
        Check.that(sigmaMax > sigmaMin, "sigmaMax must be > sigmaMin (got " + sigmaMax + " <= " + sigmaMin + ")");
        Check.positive("rho", rho);
    }

    public static Karras standard() {
        return new Karras(SIGMA_MIN, SIGMA_MAX, RHO);
    }

    /** N noise levels, descending (the original code's order): t_0 = sigma_max ... t_{N-1} = sigma_min. */
    public double[] sigmas(int n) {
        Check.that(n >= 2, "a Karras grid needs at least 2 points (got " + n + ")");
        double a = Math.pow(sigmaMax, 1 / rho);
        double b = Math.pow(sigmaMin, 1 / rho);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.pow(a + (double) i / (n - 1) * (b - a), rho);
        }
        t[0] = sigmaMax;
        t[n - 1] = sigmaMin;
        return t;
    }

    /** The same grid ascending (the paper's order t_1 = sigma_min < ... < t_N = sigma_max). */
    public double[] ascending(int n) {
        double[] d = sigmas(n);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = d[n - 1 - i];
        }
        return a;
    }
}
