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
}
