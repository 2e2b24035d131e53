package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the arrays a SameDiff session kept from its last pass back to the session's array cache.
 * <p>A session releases an intermediate array once every op that reads it has run. Arrays read by an op the pass
 * does not run (a backward op whose result nobody asked for, say) are never released, and neither are the requested
 * outputs: the session keeps them in its value map until the next pass overwrites the entry, and the Java collector
 * frees them later, and each is allocated afresh the next step (about a hundred arrays per step of a small UNet).
 * Released into the cache instead, the next pass takes every
 * array from there.
 * <p>Left alone: arrays the caller fed or still holds ({@code keep}), the graph's variables and constants, views,
 * scalars (the cache never hands out rank-0 arrays, so they would only pile up in it), arrays already cached or
 * closed, and any array sharing its memory with another kept, cached or candidate array.
 */
final class SessionLeftovers {
    private SessionLeftovers() {
    }

    static void release(SameDiff graph, InferenceSession session, Collection<INDArray> keep) {
        if (!(session.getMmgr() instanceof ArrayCacheMemoryMgr cache)) {
            return;
        }
        Set<Long> taken = new HashSet<>();
        Set<INDArray> kept = identitySet();
        kept.addAll(keep);
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                INDArray a = graph.getArrForVarName(v.name());
                if (a != null) {
                    kept.add(a);
                }
            }
        }
        kept.addAll(cache.getLruCacheValues().values());
        for (INDArray a : kept) {
            if (!a.wasClosed() && a.data() != null) {
                taken.add(a.data().address());
            }
        }
        Set<INDArray> seen = identitySet();
        Map<Long, List<INDArray>> byAddress = new HashMap<>();
        for (SDValue value : session.getNodeValueOutputs().values()) {
            List<INDArray> arrays = value == null ? null : value.getListValue();
            if (arrays == null) {
                continue;
            }
            for (INDArray a : arrays) {
                if (a == null || kept.contains(a) || !seen.add(a) || a.wasClosed() || a.isEmpty() || a.rank() == 0
                        || a.isView() || a.data() == null) {
                    continue;
                }
                byAddress.computeIfAbsent(a.data().address(), k -> new ArrayList<>()).add(a);
            }
        }
        for (Map.Entry<Long, List<INDArray>> e : byAddress.entrySet()) {
            if (e.getValue().size() == 1 && !taken.contains(e.getKey())) {
                INDArray a = e.getValue().get(0);
                // the cache tracks arrays by id, and an array the session let go of can share its id with a cached
                // one (different memory); the cache itself gives each array it hands out a new id
                if (a instanceof BaseNDArray b) {
                    b.assignNewId();
                }
                cache.release(a);
            }
        }
    }

    private static Set<INDArray> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
