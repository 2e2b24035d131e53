package ai.onestep.nn;

import ai.onestep.nd4j.FastPaths;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Outputs and parameter gradients of a SameDiff graph in one forward + backward pass.
 * <p>SameDiff's {@code calculateGradientsAndOutputs} runs its gradient graph with array release switched off, so
 * every activation and gradient of a step is a fresh native allocation that lives until the Java garbage collector
 * finds its owner (see {@code NativeMemory}): hundreds of allocations per step. With release on, SameDiff
 * hands each intermediate array to its session's array cache once its last consumer has run, and later ops of the
 * same step take their outputs from that cache: the same results bit for bit ({@code GradientPassTest}), with a
 * much smaller resident size (docs/decisions.md). The arrays the session still holds after a pass, the returned ones
 * among them, go back to the cache when the next pass starts (through {@code FastPaths}), so from the second step on a
 * pass takes almost every array from the cache. Tests and benchmarks compare with release off through the constructor.
 * <p>The arrays returned are valid until the next {@link #run}; callers copy what they keep. The arrays fed to a pass
 * stay the caller's. A pass runs on one thread at a time (a trainer per task slot), though not always the same one:
 * SameDiff keeps a session, and with it an array cache, per thread, so a run first closes the sessions of other
 * threads (Spark hands a reused trainer whichever task thread is free, and their caches would otherwise pile up).
 */
public final class GradientPass {
    private static final String GRAD = "grad";

    /** @param outputs the requested outputs by name; @param gradients each parameter's gradient by its name */
    public record Result(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {
    }

    private final SameDiff sd;
    private final List<String> outputs;
    private final List<String> params;
    private final boolean reuse;
    private Map<String, String> gradientNames;
    private List<String> requested;
    private List<INDArray> lastFeed = List.of();

    /**
     * @param outputs forward outputs to return (the loss among them)
     * @param params  variables to differentiate; those the outputs do not depend on get no entry
     * @param reuse   release intermediate arrays into the session's cache (false: SameDiff's own method)
     */
    public GradientPass(SameDiff sd, List<String> outputs, List<String> params, boolean reuse) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a gradient pass needs at least one output");
        }
        this.sd = sd;
        this.outputs = List.copyOf(outputs);
        this.params = List.copyOf(params);
        this.reuse = reuse;
    }

    public Result run(Map<String, INDArray> feed) {
        if (!reuse) {
            OutAndGrad og = sd.calculateGradientsAndOutputs(feed, outputs, params);
            return new Result(og.getOutputs(), og.getGradients());
        }
        SameDiff grad = gradientGraph();
        closeOtherThreadsSessions(grad);
        grad.setEnableCache(true);
        InferenceSession session = grad.getSessions().get(Thread.currentThread().getId());
        if (session != null) {
            // the last feed may still be the caller's; this one certainly is
            List<INDArray> keep = new ArrayList<>(feed.values());
            keep.addAll(lastFeed);
            FastPaths.releaseSessionArrays(grad, session, keep);
        }
        lastFeed = List.copyOf(feed.values());
        Map<String, INDArray> all = grad.output(feed, requested);
        Map<String, INDArray> out = new HashMap<>();
        for (String o : outputs) {
            out.put(o, all.get(o));
        }
        Map<String, INDArray> g = new HashMap<>();
        gradientNames.forEach((param, name) -> g.put(param, all.get(name)));
        return new Result(out, g);
    }

    /** Bytes of released arrays waiting in the gradient graph's session caches for reuse (0 without reuse). */
    public long cachedBytes() {
        SameDiff grad = sd.getFunction(GRAD);
        long bytes = 0;
        if (grad != null) {
            for (InferenceSession s : grad.getSessions().values()) {
                if (s.getMmgr() instanceof ArrayCacheMemoryMgr cache) {
                    bytes += cache.getCurrentCacheSize();
                }
            }
        }
        return bytes;
    }

    /** SameDiff keys sessions by thread id; closing one frees the arrays waiting in its cache. */
    private static void closeOtherThreadsSessions(SameDiff graph) {
        long thread = Thread.currentThread().getId();
        graph.getSessions().entrySet().removeIf(e -> {
            if (e.getKey() == thread) {
                return false;
            }
            e.getValue().getMmgr().close();
            return true;
        });
    }

    private SameDiff gradientGraph() {
        if (sd.getFunction(GRAD) == null) {
            sd.createGradFunction();
        }
        if (gradientNames == null) {
            Map<String, String> names = new HashMap<>();
            for (String p : params) {
                SDVariable g = sd.getVariable(p).getGradient();
                if (g != null) {
                    names.put(p, g.name());
                }
            }
            gradientNames = names;
            List<String> all = new ArrayList<>(outputs);
            all.addAll(names.values());
            requested = List.copyOf(all);
        }
        return sd.getFunction(GRAD);
    }
}
