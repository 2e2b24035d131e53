package ai.onestep.nn;

import ai.onestep.latent.Pca;
import ai.onestep.util.Check;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small MLP denoiser: [x, emb(c_noise)] -> (Linear, SiLU) x depth -> Linear. For 2-D toy data, and - with an image
 * shape - for small images flattened to vectors (a cheap network for MNIST on a CPU). With {@code latent = k > 0} it
 * denoises in the span of the data's top k principal components: encode(x) = (x - mean) B^T, decode(z) = z B + mean,
 * B orthonormal [k, dim]; mean and B are frozen buffers fitted from the data by {@link ai.onestep.latent.Pca}.
 */
public final class Mlp implements Network {
    /**
     * @param dim        data dimension; hidden width; depth hidden layers; embedDim noise-embedding width
     * @param imageShape [channels, height, width] when the data are images (their product equals dim), else empty
     * @param latent     0, or the number of principal components to denoise in (images only, below dim)
     * @param numClasses 0 (unconditional), or the number of classes of a class-conditional model: a learned embedding
     *                   of the label is added to the noise embedding, as ADM's {@code label_emb}
     */
    public record Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding,
                         java.util.List<Integer> imageShape, int latent, int numClasses) {
        public Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding) {
            this(dim, hidden, depth, embedDim, embedding, java.util.List.of(), 0, 0);
        }

        public Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding,
                      java.util.List<Integer> imageShape) {
            this(dim, hidden, depth, embedDim, embedding, imageShape, 0, 0);
        }

        public Config(int dim, int hidden, int depth, int embedDim, NoiseEmbedding embedding,
                      java.util.List<Integer> imageShape, int latent) {
            this(dim, hidden, depth, embedDim, embedding, imageShape, latent, 0);
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
            Check.that(latent == 0 || (!imageShape.isEmpty() && latent > 0 && latent < dim),
                    "latent must be 0 or, for images, between 1 and dim - 1 = " + (dim - 1) + " (got " + latent + ")");
            Check.that(numClasses >= 0, "numClasses must be 0 (unconditional) or positive (got " + numClasses + ")");
        }

        /** F's width: the latent size, or the data dimension. */
        int width() {
            return latent > 0 ? latent : dim;
        }
    }

    private final Config cfg;

    public Mlp(Config cfg) {
        this.cfg = cfg;
    }

    public Config config() {
        return cfg;
    }

    @Override
    public long[] sampleShape() {
        return cfg.imageShape().isEmpty() ? new long[]{cfg.dim()}
                : cfg.imageShape().stream().mapToLong(Integer::longValue).toArray();
    }

    @Override
    public long[] innerShape() {
        return cfg.latent() > 0 ? new long[]{cfg.latent()} : sampleShape();
    }

    public static final String LATENT_MEAN = "latent.mean";
    public static final String LATENT_BASIS = "latent.basis";

    @Override
    public SDVariable encode(NetContext c, SDVariable x) {
        if (cfg.latent() == 0) {
            return x;
        }
        SDVariable mean = c.params().declareFrozen(LATENT_MEAN, cfg.dim());
        SDVariable basis = c.params().declareFrozen(LATENT_BASIS, cfg.latent(), cfg.dim());
        return c.sd().mmul(x.reshape(-1, cfg.dim()).sub(mean), basis, false, true, false);
    }

    /** Writes a PCA into this network's frozen latent buffers in {@code flat} (a vector laid out by {@code store}). */
    public void writeLatent(Pca pca, ParamStore store, INDArray flat) {
        Check.that(pca.k() == cfg.latent() && pca.dim() == cfg.dim(), "the network's latent basis is " + cfg.latent()
                + " x " + cfg.dim() + ", this PCA " + pca.k() + " x " + pca.dim());
        ParamStore.view(flat, store.spec(LATENT_MEAN))
                .assign(Nd4j.createFromArray(pca.mean()).castTo(flat.dataType()));
        ParamStore.view(flat, store.spec(LATENT_BASIS)).assign(Nd4j.createFromArray(pca.basis())
                .reshape(pca.k(), pca.dim()).castTo(flat.dataType()));
    }

    @Override
    public SDVariable decode(NetContext c, SDVariable z) {
        if (cfg.latent() == 0) {
            return z;
        }
        SDVariable flat = c.sd().mmul(z, c.sd().getVariable(LATENT_BASIS)).add(c.sd().getVariable(LATENT_MEAN));
        return flat.reshape(-1, cfg.imageShape().get(0), cfg.imageShape().get(1), cfg.imageShape().get(2));
    }

    @Override
    public int numClasses() {
        return cfg.numClasses();
    }

    @Override
    public String describe() {
        return "MLP dim=" + cfg.dim() + " hidden=" + cfg.hidden() + " depth=" + cfg.depth()
                + (cfg.imageShape().isEmpty() ? "" : " images=" + cfg.imageShape())
                + (cfg.latent() > 0 ? " latent=" + cfg.latent() + " principal components" : "")
                + (cfg.numClasses() > 0 ? " classes=" + cfg.numClasses() : "");
    }

    @Override
    public SDVariable build(NetContext c, SDVariable x, SDVariable cNoise, SDVariable labels) {
        SDVariable emb = cfg.embedding().build(c, cNoise, cfg.embedDim());
        emb = Layers.silu(c, Layers.linear(c, "embed", emb, cfg.embedDim(), cfg.hidden(), false));
        if (cfg.numClasses() > 0) {
            emb = emb.add(Layers.labelEmbedding(c, "label_emb.weight", labels, cfg.numClasses(), cfg.hidden()));
        }
        boolean images = !cfg.imageShape().isEmpty() && cfg.latent() == 0;
        SDVariable flat = images ? x.reshape(-1, cfg.dim()) : x;
        SDVariable h = Layers.linear(c, "input", flat, cfg.width(), cfg.hidden(), false).add(emb);
        for (int i = 0; i < cfg.depth(); i++) {
            h = Layers.linear(c, "layers." + i, Layers.silu(c, h), cfg.hidden(), cfg.hidden(), false);
        }
        SDVariable out = Layers.linear(c, "output", Layers.silu(c, h), cfg.hidden(), cfg.width(), false);
        if (!images) {
            return out;
        }
        return out.reshape(-1, cfg.imageShape().get(0), cfg.imageShape().get(1), cfg.imageShape().get(2));
    }
}
