package ai.onestep.loss;

/**
 * lambda(t_n, t_{n+1}) of the consistency losses. The SNR-based ones are the original code's {@code get_weightings},
 * with snr = t_{n+1}^-2 at the noisier level of the pair.
 */
public enum Weighting {
    /** lambda = 1 (Song et al. 2023). */
    UNIFORM,
    /** lambda = 1 / (t_{n+1} - t_n) (Song &amp; Dhariwal 2023, improved consistency training, Section 3.3). */
    ICT,
    /** lambda = snr. */
    SNR,
    /** lambda = snr + 1 (the original's "snr+1"). */
    SNR_PLUS_1,
    /** lambda = snr + 1 / sigma_data^2 (EDM's loss weight, Karras et al. 2022). */
    KARRAS,
    /** lambda = max(snr, 1). */
    TRUNCATED_SNR;

    public double of(double tLow, double tHigh, double sigmaData) {
        double snr = 1 / (tHigh * tHigh);
        return switch (this) {
            case UNIFORM -> 1.0;
            case ICT -> 1.0 / (tHigh - tLow);
            case SNR -> snr;
            case SNR_PLUS_1 -> snr + 1;
            case KARRAS -> snr + 1 / (sigmaData * sigmaData);
            case TRUNCATED_SNR -> Math.max(snr, 1.0);
        };
    }
}
