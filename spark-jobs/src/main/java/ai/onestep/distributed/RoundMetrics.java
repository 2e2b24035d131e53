package ai.onestep.distributed;

/**
 * One round's figures: what the console progress line, the metrics file (JSON lines) and listeners receive.
 *
 * @param computeSeconds the slowest worker's H steps
 * @param syncSeconds    the rest of the round: broadcast, scheduling, aggregation and the driver's update
 */
public record RoundMetrics(long round, long rounds, long step, double loss, int n, double mu, double lr,
                           double imagesPerSecond, double computeSeconds, double syncSeconds, double etaSeconds) {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** One line of JSON; a value that is not finite (a diverged loss) is written as null. */
    public String json() {
        var o = JSON.createObjectNode().put("round", round).put("step", step);
        number(o, "loss", loss);
        o.put("N", n);
        number(o, "mu", mu);
        number(o, "lr", lr);
        number(o, "images_per_s", imagesPerSecond);
        number(o, "compute_s", computeSeconds);
        number(o, "sync_s", syncSeconds);
        return o.toString();
    }

    private static void number(com.fasterxml.jackson.databind.node.ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    public String progressLine() {
        long eta = Math.round(etaSeconds);
        return String.format(java.util.Locale.ROOT, "round %d/%d k=%d N=%d mu=%.4f loss=%.4g %.1f img/s "
                        + "(compute %.2fs, sync %.2fs) ETA %dh%02dm%02ds", round, rounds, step, n, mu, loss,
                imagesPerSecond, computeSeconds, syncSeconds, eta / 3600, eta / 60 % 60, eta % 60);
    }
}
