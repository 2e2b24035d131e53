package ai.onestep.train;

import ai.onestep.nd4j.FastPaths;
import ai.onestep.loss.Distance;
import ai.onestep.loss.Example;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.GradientPass;
import ai.onestep.nn.NetContext;
import ai.onestep.nn.Network;
import ai.onestep.nn.ParamStore;
import ai.onestep.optim.Optimizer;
import ai.onestep.precond.Precond;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * One gradient step of loss = mean_i w_i d(D_theta(xIn_i, sigma_i), target_i) on a flat parameter vector:
 * forward + backward in SameDiff, gradients gathered into one flat vector, optional global-norm clipping, then the
 * optimizer. Every objective (EDM, CT, CD) reaches the network through this class.
 */
public final class TrainStep implements AutoCloseable {
    static final String TARGET = "target";
    static final String WEIGHT = "weight";
    static final String LOSS = "loss";

    private final DenoiserGraph graph;
    private final Precond precond;
    private final GradientPass pass;
    private final List<ParamStore.Spec> specs;
    private INDArray params;
    private final INDArray grad;

    public TrainStep(Network network, Precond precond, Distance distance, DataType dtype) {
        this(network, precond, distance, dtype, true);
    }

    /** @param reuseArrays whether the gradient pass reuses intermediate arrays ({@link GradientPass}) */
    TrainStep(Network network, Precond precond, Distance distance, DataType dtype, boolean reuseArrays) {
        this.graph = DenoiserGraph.build(network, dtype, true, true);
        this.precond = precond;
        SameDiff sd = graph.sd();
        long[] shape = network.sampleShape();
        long[] full = new long[shape.length + 1];
        full[0] = -1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        SDVariable target = sd.placeHolder(TARGET, dtype, full);
        SDVariable weight = sd.placeHolder(WEIGHT, dtype, -1);
        SDVariable perSample = distance.perSample(sd, graph.output(), target, shape);
        SDVariable loss = perSample.mul(weight).mean();
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(LOSS);
        // frozen buffers get no gradient (left 0 below)
        this.pass = new GradientPass(sd, List.of(LOSS), graph.params().trainableNames(), reuseArrays);
        this.specs = graph.params().specs();
        this.grad = Nd4j.create(dtype, graph.params().size());
    }

    public ParamStore params() {
        return graph.params();
    }

    public Map<String, NetContext.Site> dropoutSites() {
        return graph.context().dropoutSites();
    }

    /** Trains this flat vector (in place) from now on. */
    public void bind(INDArray flat) {
        graph.params().bind(flat);
        params = flat;
    }

    /** Loss and gradient (into the returned flat vector, reused between calls) without changing parameters. */
    public double lossAndGradient(Example ex, Map<String, INDArray> masks) {
        GradientPass.Result r = pass.run(feed(ex, masks));
        Map<String, INDArray> g = r.gradients();
        for (ParamStore.Spec s : specs) {
            INDArray gi = g.get(s.name());
            INDArray dst = ParamStore.view(grad, s);
            if (gi == null) {
                dst.assign(0);
            } else {
                dst.assign(gi);
            }
        }
        return r.outputs().get(LOSS).getDouble(0);
    }

    GradientPass gradientPass() {
        return pass;
    }

    public INDArray gradient() {
        return grad;
    }

    /** Loss only (forward pass). */
    public double loss(Example ex, Map<String, INDArray> masks) {
        return graph.sd().output(feed(ex, masks), LOSS).get(LOSS).getDouble(0);
    }

    /**
     * One optimizer step. @param clipNorm global gradient-norm limit, 0 = none. Returns the loss before the step,
     * or NaN (parameters untouched) when the loss or gradient is not finite.
     */
    public double step(Example ex, Map<String, INDArray> masks, Optimizer optimizer, long t, double clipNorm) {
        if (params == null) {
            throw new IllegalStateException("bind() a parameter vector before training");
        }
        double loss = lossAndGradient(ex, masks);
        FastPaths.afterStep();
        double norm = globalNorm(grad);
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            lastNonFinite = describeNonFinite(loss, norm);
            return Double.NaN;
        }
        if (clipNorm > 0 && norm > clipNorm) {
            grad.muli(clipNorm / norm);
        }
        optimizer.step(params, grad, t);
        return loss;
    }

    private String lastNonFinite = "";

    /** What the last skipped step looked like: its loss, gradient norm and the first parameters with bad gradients. */
    public String lastNonFinite() {
        return lastNonFinite;
    }

    private String describeNonFinite(double loss, double norm) {
        StringBuilder bad = new StringBuilder();
        int shown = 0;
        for (ParamStore.Spec s : specs) {
            INDArray g = ParamStore.view(grad, s);
            double a = g.amaxNumber().doubleValue();
            if (!Double.isFinite(a) && shown++ < 3) {
                bad.append(' ').append(s.name());
            }
        }
        return "loss=" + loss + " gradNorm=" + norm + (bad.length() > 0 ? " non-finite gradients:" + bad : "");
    }

    /** ||g||_2 without float overflow: when the plain norm overflows, rescale by max|g| first. */
    static double globalNorm(INDArray g) {
        double norm = g.norm2Number().doubleValue();
        if (Double.isInfinite(norm)) {
            double amax = g.amaxNumber().doubleValue();
            if (Double.isFinite(amax) && amax > 0) {
                norm = amax * g.div(amax).norm2Number().doubleValue();
            }
        }
        return norm;
    }

    private Map<String, INDArray> feed(Example ex, Map<String, INDArray> masks) {
        Map<String, INDArray> feed = graph.feed(ex.xIn(), ex.sigma(), ex.labels(), precond);
        DataType dt = graph.params().dtype();
        feed.put(TARGET, ex.target().dataType() == dt ? ex.target() : ex.target().castTo(dt));
        feed.put(WEIGHT, Nd4j.createFromArray(ex.weight()).castTo(dt));
        for (String site : dropoutSites().keySet()) {
            INDArray m = masks.get(site);
            if (m == null) {
                throw new IllegalArgumentException("missing dropout mask " + site);
            }
            feed.put(site, m);
        }
        return feed;
    }

    @Override
    public void close() {
        grad.close();
    }
}
