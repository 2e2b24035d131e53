package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The only way into OneStep's ND4J performance work; nothing outside this package uses its other classes. What it
 * bends: a proxy around ND4J's op executioner that runs OneStep's Java ops (GroupNorm with scale-shift and SiLU,
 * SiLU, 2x pooling and upsampling, Vector API kernels); ND4J op subclasses registered in place of ND4J's own by
 * reflection, with backward passes written out; a gradient session's leftover arrays handed back to its cache; and
 * native memory returned between steps. Every one computes the same function as the plain ND4J graph (tests in this
 * package compare them); none is switched by a system property: the Java ops run wherever they can (CPU backend, the
 * Vector API module present), and {@link #description()} says whether they did.
 */
public final class FastPaths {
    private FastPaths() {
    }

    /** True when graphs built now may contain Java ops; installs the executioner hook on first use. */
    public static boolean javaOps() {
        return JavaOps.enabled();
    }

    /** "on", or "off: " and why (for logs and benchmark headers). */
    public static String description() {
        return JavaOps.describe();
    }

    /**
     * act(GroupNorm(x + bias) (1 + scale) + shift) as one Java op with its backward pass; act SiLU or the identity,
     * scale and shift both null or both [N, C], bias null or [N, C]. Requires {@link #javaOps()}.
     */
    public static SDVariable groupNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, SDVariable scale,
                                       SDVariable shift, SDVariable bias, int groups, double eps, boolean silu) {
        return GroupNormOp.apply(sd, x, gamma, beta, scale, shift, bias, groups, eps, silu);
    }

    /** x sigmoid(x) as one Java op. Requires {@link #javaOps()}. */
    public static SDVariable silu(SameDiff sd, SDVariable x) {
        return SiluOp.apply(sd, x);
    }

    /** 2x2 average pooling, stride 2, of NCHW float activations. Requires {@link #javaOps()}. */
    public static SDVariable avgPool2x(SameDiff sd, SDVariable x) {
        return Resample2xOp.avgPool(sd, x);
    }

    /** Nearest-neighbour 2x upsampling of NCHW float activations. Requires {@link #javaOps()}. */
    public static SDVariable upsample2x(SameDiff sd, SDVariable x) {
        return Resample2xOp.upsample(sd, x);
    }

    /** Hands the previous pass's arrays of a gradient session back to its cache, except those in {@code keep}. */
    public static void releaseSessionArrays(SameDiff graph, InferenceSession session, Collection<INDArray> keep) {
        SessionLeftovers.release(graph, session, keep);
    }

    /** Call after each training step or forward pass: returns native memory when it is time (see NativeMemory). */
    public static void afterStep() {
        NativeMemory.afterStep();
    }
}
