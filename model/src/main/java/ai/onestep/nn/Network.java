package ai.onestep.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** A raw network F(x, c_noise, labels) as in EDM; preconditioning wraps it (see {@code ai.onestep.precond}). */
public interface Network {
    /** Shape of one sample, e.g. [C, H, W] for images or [2] for points. */
    long[] sampleShape();

    /** Number of classes for class conditioning; 0 when unconditional. */
    int numClasses();

    /**
     * Builds F into the context's graph. x: [N, ...sampleShape], cNoise: [N, 1], labels: [N] int (null when
     * unconditional). Returns [N, ...sampleShape].
     */
    SDVariable build(NetContext c, SDVariable x, SDVariable cNoise, SDVariable labels);

    /** A short human-readable description for logs and `inspect`. */
    String describe();

    /**
     * The shape F and the preconditioning work in, per sample: {@link #sampleShape()} unless the network denoises in
     * a latent space of its own (see {@link #encode}).
     */
    default long[] innerShape() {
        return sampleShape();
    }

    /**
     * Maps a batch [N, ...sampleShape] into F's space [N, ...innerShape]; the identity for pixel-space networks. A
     * latent network's denoiser is D(x, sigma) = decode(D_latent(encode(x), sigma)): with an orthonormal linear
     * encoder, the encoded noise of level sigma is again Gaussian noise of level sigma, so samplers, losses and
     * editing work on images unchanged.
     */
    default SDVariable encode(NetContext c, SDVariable x) {
        return x;
    }

    /** The inverse direction of {@link #encode}: [N, ...innerShape] -> [N, ...sampleShape]. */
    default SDVariable decode(NetContext c, SDVariable z) {
        return z;
    }
}
