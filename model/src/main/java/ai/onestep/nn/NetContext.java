package ai.onestep.nn;

import ai.onestep.nd4j.FastPaths;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a network's build function needs: the graph, the parameter store, whether dropout is live, whether the
 * graph will be differentiated (some blocks pick a different, equivalent kernel for backward passes) and whether it
 * is an inference graph (sampling, editing, evaluation: never part of a training step, so it may use fused forward
 * kernels that round differently from the training graphs; a training step's target and teacher passes are not).
 * Dropout masks are placeholders, never random ops, so the online and target passes can be fed the same mask.
 */
public final class NetContext {
    public static final String MASK_PREFIX = "dropout_mask/";

    private final SameDiff sd;
    private final ParamStore params;
    private final boolean training;
    private final boolean differentiated;
    private final boolean inference;
    private final boolean javaKernels;
    private final Map<String, Site> dropoutSites = new LinkedHashMap<>();

    /** A dropout site: the per-sample shape of its mask and its drop probability. */
    public record Site(long[] shape, double p) {
    }

    public NetContext(SameDiff sd, ParamStore params, boolean training, boolean differentiated, boolean inference) {
        this(sd, params, training, differentiated, inference, FastPaths.javaOps());
    }

    private NetContext(SameDiff sd, ParamStore params, boolean training, boolean differentiated, boolean inference,
                       boolean javaKernels) {
        if (inference && (training || differentiated)) {
            throw new IllegalArgumentException("an inference graph has neither dropout nor gradients");
        }
        this.sd = sd;
        this.params = params;
        this.training = training;
        this.differentiated = differentiated;
        this.inference = inference;
        this.javaKernels = javaKernels;
    }

    /**
     * This context, but building from ND4J's ops only, as on a backend without Java kernels (tests compare the two):
     * to be used instead of this one, before anything is built.
     */
    public NetContext nd4jOnly() {
        return new NetContext(sd, params, training, differentiated, inference, false);
    }

    /** Not an inference graph. */
    public NetContext(SameDiff sd, ParamStore params, boolean training, boolean differentiated) {
        this(sd, params, training, differentiated, false);
    }

    /** A forward-only graph. */
    public NetContext(SameDiff sd, ParamStore params, boolean training) {
        this(sd, params, training, false);
    }

    public SameDiff sd() {
        return sd;
    }

    public ParamStore params() {
        return params;
    }

    public boolean training() {
        return training;
    }


    /** True when gradients will be taken through this graph. */
    public boolean differentiated() {
        return differentiated;
    }

    /** True for a graph evaluated only outside training steps (see the class comment). */
    public boolean inference() {
        return inference;
    }

    /** Whether blocks may use OneStep's Java kernels ({@link JavaOps#enabled()} unless {@link #nd4jOnly()}). */
    public boolean javaKernels() {
        return javaKernels;
    }

    /** Dropout with probability p as a multiplication by a fed mask of per-sample shape {@code shape}. */
    public SDVariable dropout(String name, SDVariable x, double p, long... shape) {
        if (!training || p == 0) {
            return x;
        }
        String mask = MASK_PREFIX + name;
        long[] full = new long[shape.length + 1];
        full[0] = -1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        dropoutSites.put(mask, new Site(shape.clone(), p));
        return x.mul(sd.placeHolder(mask, params.dtype(), full));
    }

    /** Mask placeholder name -> site. */
    public Map<String, Site> dropoutSites() {
        return Collections.unmodifiableMap(dropoutSites);
    }
}
