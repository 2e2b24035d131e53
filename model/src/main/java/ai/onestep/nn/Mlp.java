package ai.onestep.nn;

import ai.onestep.util.Check;
import org.nd4j.autodiff.samediff.SDVariable;

/** A small MLP denoiser for low-dimensional toy data: [x, emb(c_noise)] -> (Linear, SiLU) x depth -> Linear. */
public final class Mlp implements Network {
    /** @param dim data dimension; hidden width; depth hidden layers; embedDim noise-embedding width. */
    public record Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding) {
        public Config {
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
        return new long[]{cfg.dim()};
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public String describe() {
        return "MLP dim=" + cfg.dim() + " hidden=" + cfg.hidden() + " depth=" + cfg.depth();
    }

    @Override
    public SDVariable build(NetContext c, SDVariable x, SDVariable cNoise, SDVariable labels) {
        SDVariable emb = cfg.embedding().build(c, cNoise, cfg.embedDim());
        emb = Layers.silu(c.sd(), Layers.linear(c, "embed", emb, cfg.embedDim(), cfg.hidden(), false));
        SDVariable h = Layers.linear(c, "input", x, cfg.dim(), cfg.hidden(), false).add(emb);
        for (int i = 0; i < cfg.depth(); i++) {
            h = Layers.linear(c, "layers." + i, Layers.silu(c.sd(), h), cfg.hidden(), cfg.hidden(), false);
        }
        return Layers.linear(c, "output", Layers.silu(c.sd(), h), cfg.hidden(), cfg.dim(), false);
    }
}
