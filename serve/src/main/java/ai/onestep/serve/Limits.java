package ai.onestep.serve;

/**
 * What one request may ask of the demo server; every cap is checked before any work starts.
 *
 * @param maxUploadBytes  bytes per uploaded image (and the request body is capped at twice this plus 64 KiB)
 * @param maxUploadPixels pixels (width x height) per uploaded image, checked from the header before decoding
 * @param maxSteps        network evaluations per image (steps, Heun steps, or grid indices)
 * @param maxImages       images per request
 * @param maxResolution   largest model side the server samples (larger checkpoints are listed but refused)
 * @param queue           requests that may wait per checkpoint behind the running one; more get 429
 * @param maxLoaded       checkpoints kept loaded at once (least recently used idle ones are closed)
 */
public record Limits(long maxUploadBytes, long maxUploadPixels, int maxSteps, int maxImages, int maxResolution, int queue,
                     int maxLoaded) {
    public static final Limits DEFAULT = new Limits(4L << 20, 2048L * 2048, 100, 64, 512, 2, 4);

    public Limits {
        positive("maxUploadBytes", maxUploadBytes);
        positive("maxUploadPixels", maxUploadPixels);
        positive("maxSteps", maxSteps);
        positive("maxImages", maxImages);
        positive("maxResolution", maxResolution);
        positive("maxLoaded", maxLoaded);
        if (queue < 0) {
            throw new IllegalArgumentException("queue must be >= 0 (got " + queue + ")");
        }
    }

    /** The request-body cap: two images and the form fields. */
    public long maxRequestBytes() {
        return 2 * maxUploadBytes + (64 << 10);
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 (got " + v + ")");
        }
    }
}
