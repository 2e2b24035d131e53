package ai.onestep.loss;

/** lambda(t_n, t_{n+1}) of the consistency losses. */
public enum Weighting {
    /** lambda = 1 (Song et al. 2023). */
    UNIFORM,
    /** lambda = 1 / (t_{n+1} - t_n) (Song & Dhariwal 2023, improved consistency training, Section 3.3). */
    ICT;

    public double of(double tLow, double tHigh) {
        return this == UNIFORM ? 1.0 : 1.0 / (tHigh - tLow);
    }
}
