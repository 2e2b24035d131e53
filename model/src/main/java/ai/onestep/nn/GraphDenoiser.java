package ai.onestep.nn;

import ai.onestep.nd4j.FastPaths;
import ai.onestep.precond.Denoiser;
import ai.onestep.precond.Precond;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * A {@link Denoiser} evaluated by a forward-only SameDiff graph whose parameters are views of a flat vector.
 * Rebinding to another vector (online, target, an EMA set) costs no copy, and in-place updates of the bound vector
 * are seen by the next call.
 */
public final class GraphDenoiser implements Denoiser, AutoCloseable {
    private final DenoiserGraph graph;
    private final Precond precond;
    private INDArray bound;

    /**
     * For passes inside a training step (a target or a teacher pass): the kernels of the training graph.
     *
     * @param withDropout build dropout sites as mask placeholders (a target pass in training).
     */
    public GraphDenoiser(Network network, Precond precond, DataType dtype, boolean withDropout) {
        this(DenoiserGraph.build(network, dtype, withDropout, false), precond);
    }

    private GraphDenoiser(DenoiserGraph graph, Precond precond) {
        this.graph = graph;
        this.precond = precond;
    }

    /** For sampling, editing and evaluation: an inference graph (fused forward kernels, see {@link NetContext}). */
    public static GraphDenoiser forInference(Network network, Precond precond, DataType dtype) {
        return new GraphDenoiser(DenoiserGraph.inference(network, dtype), precond);
    }

    public GraphDenoiser bind(INDArray flat) {
        graph.params().bind(flat);
        bound = flat;
        return this;
    }

    public INDArray bound() {
        return bound;
    }

    public ParamStore params() {
        return graph.params();
    }

    public Precond precond() {
        return precond;
    }

    public Network network() {
        return graph.network();
    }

    @Override
    public INDArray denoise(INDArray x, double[] sigma, int[] labels) {
        return denoise(x, sigma, labels, Map.of());
    }

    @Override
    public INDArray denoise(INDArray x, double[] sigma, int[] labels, Map<String, INDArray> masks) {
        if (bound == null) {
            throw new IllegalStateException("bind() a parameter vector before denoising");
        }
        Map<String, INDArray> feed = graph.feed(x, sigma, labels, precond);
        for (String site : graph.context().dropoutSites().keySet()) {
            INDArray m = masks.get(site);
            if (m == null) {
                throw new IllegalArgumentException("missing dropout mask " + site);
            }
            feed.put(site, m);
        }
        INDArray out = graph.run(feed);
        FastPaths.afterStep();
        return out.dataType() == x.dataType() ? out : out.castTo(x.dataType());
    }

    /** Drops the binding; the graph's own arrays are views of vectors owned by the caller. */
    @Override
    public void close() {
        bound = null;
    }
}
