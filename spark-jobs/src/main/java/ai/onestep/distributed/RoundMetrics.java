package ai.onestep.distributed;

/**
 * One round's figures: what the console progress line, the metrics file (JSON lines) and listeners receive.
 *
 * @param computeSeconds the slowest worker's H steps
 * @param syncSeconds    the rest of the round: broadcast, scheduling, aggregation and the driver's update
 */
public record RoundMetrics(long round, long rounds, long step, double loss, int n, double mu, double lr,
                           double imagesPerSecond, double computeSeconds, double syncSeconds, double etaSeconds) {
    public String json() {
        return String.format(java.util.Locale.ROOT, "{\"round\":%d,\"step\":%d,\"loss\":%.6g,\"N\":%d,\"mu\":%.8f,"
                        + "\"lr\":%.3g,\"images_per_s\":%.2f,\"compute_s\":%.4f,\"sync_s\":%.4f}", round, step, loss, n,
                mu, lr, imagesPerSecond, computeSeconds, syncSeconds);
    }

    public String progressLine() {
        long eta = Math.round(etaSeconds);
        return String.format(java.util.Locale.ROOT, "round %d/%d k=%d N=%d mu=%.4f loss=%.4g %.1f img/s "
                        + "(compute %.2fs, sync %.2fs) ETA %dh%02dm%02ds", round, rounds, step, n, mu, loss,
                imagesPerSecond, computeSeconds, syncSeconds, eta / 3600, eta / 60 % 60, eta % 60);
    }
}
