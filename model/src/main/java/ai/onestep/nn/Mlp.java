package ai.onestep.nn;

import ai.onestep.util.Check;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A small MLP denoiser: [x, emb(c_noise)] -> (Linear, SiLU) x depth -> Linear. For 2-D toy data, and - with an image
 * shape - for small images flattened to vectors (a cheap network for MNIST on a CPU).
 */
public final class Mlp implements Network {
    /**
     * @param dim        data dimension; hidden width; depth hidden layers; embedDim noise-embedding width
     * @param imageShape [channels, height, width] when the data are images (their product equals dim), else empty
     */
    public record Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding,
                         java.util.List<Integer> imageShape) {
        public Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding) {
            this(dim, hidden, depth, embedDim, embedding, java.util.List.of());
        }

        public Config {
            imageShape = java.util.List.copyOf(imageShape == null ? java.util.List.of() : imageShape);
            Check.that(imageShape.isEmpty() || (imageShape.size() == 3
                            && (long) imageShape.get(0) * imageShape.get(1) * imageShape.get(2) == dim),
                    "imageShape must be [channels, height, width] with product dim = " + dim + " (got " + imageShape + ")");
            Check.positive("dim", dim);
            Check.positive("hidden", hidden);
            Check.positive("depth", depth);
            Check.positive("embedDim", embedDim);
            Check.that(embedDim % 2 == 0, "embedDim must be even (got " + embedDim + ")");
            Check.that(embedding != null, "embedding must be POSITIONAL or FOURIER");
        }
    }

    private final Config cfg;

    public Mlp(Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public long[] sampleShape() {
        return cfg.imageShape().isEmpty() ? new long[]{cfg.dim()}
                : cfg.imageShape().stream().mapToLong(Integer::longValue).toArray();
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public String describe() {
        return "MLP dim=" + cfg.dim() + " hidden=" + cfg.hidden() + " depth=" + cfg.depth()
                + (cfg.imageShape().isEmpty() ? "" : " images=" + cfg.imageShape());
    }

    @Override
    public SDVariable build(NetContext c, SDVariable x, SDVariable cNoise, SDVariable labels) {
        SDVariable emb = cfg.embedding().build(c, cNoise, cfg.embedDim());
        emb = Layers.silu(c.sd(), Layers.linear(c, "embed", emb, cfg.embedDim(), cfg.hidden(), false));
        SDVariable flat = cfg.imageShape().isEmpty() ? x : x.reshape(-1, cfg.dim());
        SDVariable h = Layers.linear(c, "input", flat, cfg.dim(), cfg.hidden(), false).add(emb);
        for (int i = 0; i < cfg.depth(); i++) {
            h = Layers.linear(c, "layers." + i, Layers.silu(c.sd(), h), cfg.hidden(), cfg.hidden(), false);
        }
        SDVariable out = Layers.linear(c, "output", Layers.silu(c.sd(), h), cfg.hidden(), cfg.dim(), false);
        if (cfg.imageShape().isEmpty()) {
            return out;
        }
        return out.reshape(-1, cfg.imageShape().get(0), cfg.imageShape().get(1), cfg.imageShape().get(2));
    }
}
