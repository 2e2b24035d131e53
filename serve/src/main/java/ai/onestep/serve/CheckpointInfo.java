package ai.onestep.serve;

import java.util.List;

/**
 * One listed checkpoint as the page and {@code GET /api/checkpoints} show it.
 *
 * @param name       the name requests use (a child of the checkpoints directory)
 * @param kind       ct, cd or edm (EDM teachers are sampled with Heun and cannot edit)
 * @param channels   image channels (0 for models of low-dimensional points)
 * @param resolution image side (0 for points)
 * @param dims       dimensions of a point for point models, else 0
 * @param classes    number of classes (0 = unconditional)
 * @param emaRates   the EMA rates stored (a request names one, or "online")
 * @param step       training step of the newest checkpoint
 */
public record CheckpointInfo(String name, String kind, int channels, int resolution, int dims, int classes,
                             List<Double> emaRates, long step) {
    public CheckpointInfo {
        emaRates = List.copyOf(emaRates);
    }

    public boolean isImage() {
        return resolution > 0;
    }
}
