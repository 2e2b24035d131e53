package ai.onestep.ema;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Several EMAs of the online parameters at once (e.g. 0.999, 0.9999, 0.9999432189950708), each a flat vector.
 * After H local steps the driver applies rate^H, which equals H single-step updates towards the same value.
 */
public final class EmaSet {
    private final Map<Double, INDArray> averages = new LinkedHashMap<>();

    public EmaSet(Iterable<Double> rates, INDArray initial) {
        for (double r : rates) {
            Check.inHalfOpen("ema rate", r, 0, 1);
            averages.put(r, initial.dup());
        }
    }

    public void update(INDArray params, int localSteps) {
        for (Map.Entry<Double, INDArray> e : averages.entrySet()) {
            Ema.update(e.getValue(), params, Math.pow(e.getKey(), localSteps));
        }
    }

    public INDArray get(double rate) {
        INDArray a = averages.get(rate);
        if (a == null) {
            throw new IllegalArgumentException("no EMA with rate " + rate + " (have " + averages.keySet() + ")");
        }
        return a;
    }

    public void set(double rate, INDArray values) {
        get(rate).assign(values);
    }

    public Map<Double, INDArray> all() {
        return Collections.unmodifiableMap(averages);
    }
}
