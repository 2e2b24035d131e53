package ai.onestep.nn;

import ai.onestep.precond.Precond;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * A network wrapped by a preconditioning, as one SameDiff graph: D = c_skip x + c_out F(c_in x, c_noise, labels)
 * (for a latent network, the same in its latent space between its encoder and decoder, see {@link Network#encode}).
 * The scalings are fed per sample (computed in double precision by a {@link Precond}), so the boundary condition
 * c_skip = 1, c_out = 0 is exact. The graph's parameters are views of one flat vector (see {@link ParamStore}).
 */
public final class DenoiserGraph {
    public static final String X = "x";
    public static final String C_SKIP = "c_skip";
    public static final String C_OUT = "c_out";
    public static final String C_IN = "c_in";
    public static final String C_NOISE = "c_noise";
    public static final String LABELS = "labels";
    public static final String OUTPUT = "denoised";

    private final SameDiff sd;
    private final ParamStore params;
    private final NetContext context;
    private final Network network;
    private final SDVariable output;

    private DenoiserGraph(SameDiff sd, ParamStore params, NetContext context, Network network, SDVariable output) {
        this.sd = sd;
        this.params = params;
        this.context = context;
        this.network = network;
        this.output = output;
    }

    /**
     * Builds the graph; with training, dropout sites become mask placeholders; differentiated when gradients will be
     * taken through it. Parameters still need bind().
     */
    public static DenoiserGraph build(Network network, DataType dtype, boolean training, boolean differentiated) {
        SameDiff sd = SameDiff.create();
        return build(network, new NetContext(sd, ParamStore.forGraph(sd, dtype), training, differentiated));
    }

    /**
     * An inference graph (sampling, editing, evaluation; see {@link NetContext}): outputs equal a forward-only
     * {@link #build} graph's to rounding, never bit for bit.
     */
    public static DenoiserGraph inference(Network network, DataType dtype) {
        SameDiff sd = SameDiff.create();
        return build(network, new NetContext(sd, ParamStore.forGraph(sd, dtype), false, false, true));
    }

    private static DenoiserGraph build(Network network, NetContext c) {
        SameDiff sd = c.sd();
        ParamStore params = c.params();
        DataType dtype = params.dtype();
        long[] shape = network.sampleShape();
        long[] full = batched(shape, shape);
        long[] scalar = batched(network.innerShape(), null);
        SDVariable x = sd.placeHolder(X, dtype, full);
        SDVariable cSkip = sd.placeHolder(C_SKIP, dtype, scalar);
        SDVariable cOut = sd.placeHolder(C_OUT, dtype, scalar);
        SDVariable cIn = sd.placeHolder(C_IN, dtype, scalar);
        SDVariable cNoise = sd.placeHolder(C_NOISE, dtype, -1, 1);
        SDVariable labels = network.numClasses() > 0 ? sd.placeHolder(LABELS, DataType.INT32, -1) : null;
        SDVariable z = network.encode(c, x);
        SDVariable f = network.build(c, z.mul(cIn), cNoise, labels);
        SDVariable d = network.decode(c, z.mul(cSkip).add(f.mul(cOut)));
        sd.updateVariableNameAndReference(d, OUTPUT);
        return new DenoiserGraph(sd, params, c, network, d);
    }

    /** Counts parameters without allocating them (shapes only). */
    public static ParamStore layout(Network network) {
        SameDiff sd = SameDiff.create();
        ParamStore params = ParamStore.layoutOnly(sd);
        NetContext c = new NetContext(sd, params, false);
        long[] shape = network.sampleShape();
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, batched(shape, shape));
        SDVariable cNoise = sd.placeHolder(C_NOISE, DataType.FLOAT, -1, 1);
        SDVariable labels = network.numClasses() > 0 ? sd.placeHolder(LABELS, DataType.INT32, -1) : null;
        network.decode(c, network.build(c, network.encode(c, x), cNoise, labels));
        return params;
    }

    /** [-1, shape...] or, with null, [-1, 1, 1, ...] of the same rank (a per-sample scalar that broadcasts). */
    private static long[] batched(long[] sample, long[] dims) {
        long[] out = new long[sample.length + 1];
        out[0] = -1;
        for (int i = 0; i < sample.length; i++) {
            out[i + 1] = dims == null ? 1 : dims[i];
        }
        return out;
    }

    /** The placeholders for one batch: x, the four scalings per sample and the labels. */
    public Map<String, INDArray> feed(INDArray x, double[] sigma, int[] labels, Precond precond) {
        int n = (int) x.size(0);
        if (sigma.length != n) {
            throw new IllegalArgumentException("sigma has " + sigma.length + " entries for a batch of " + n);
        }
        double[] skip = new double[n];
        double[] out = new double[n];
        double[] in = new double[n];
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            Precond.Scalings s = precond.at(sigma[i]);
            skip[i] = s.cSkip();
            out[i] = s.cOut();
            in[i] = s.cIn();
            noise[i] = s.cNoise();
        }
        long[] scalar = batched(network.innerShape(), null);
        scalar[0] = n;
        DataType dt = params.dtype();
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(X, x.dataType() == dt ? x : x.castTo(dt));
        feed.put(C_SKIP, Nd4j.createFromArray(skip).castTo(dt).reshape(scalar));
        feed.put(C_OUT, Nd4j.createFromArray(out).castTo(dt).reshape(scalar));
        feed.put(C_IN, Nd4j.createFromArray(in).castTo(dt).reshape(scalar));
        feed.put(C_NOISE, Nd4j.createFromArray(noise).castTo(dt).reshape(n, 1));
        if (network.numClasses() > 0) {
            if (labels == null || labels.length != n) {
                throw new IllegalArgumentException("a class-conditional network needs one label per sample");
            }
            feed.put(LABELS, Nd4j.createFromArray(labels));
        }
        return feed;
    }

    public SameDiff sd() {
        return sd;
    }

    public ParamStore params() {
        return params;
    }

    public NetContext context() {
        return context;
    }

    public Network network() {
        return network;
    }

    public SDVariable output() {
        return output;
    }

    /** Forward pass only. */
    public INDArray run(Map<String, INDArray> feed) {
        return sd.output(feed, OUTPUT).get(OUTPUT);
    }
}
