package ai.onestep.nn;

import ai.onestep.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/** Draws inverted-dropout masks (0 or 1/(1-p)) for every site of a graph from an explicit random stream. */
public final class DropoutMasks {
    private DropoutMasks() {
    }

    public static Map<String, INDArray> draw(Map<String, NetContext.Site> sites, int batch, DataType dtype, Rng rng) {
        Map<String, INDArray> masks = new HashMap<>();
        for (Map.Entry<String, NetContext.Site> e : sites.entrySet()) {
            long[] shape = e.getValue().shape();
            long per = 1;
            for (long s : shape) {
                per *= s;
            }
            double p = e.getValue().p();
            float keep = (float) (1.0 / (1.0 - p));
            float[] m = new float[Math.toIntExact(per * batch)];
            for (int i = 0; i < m.length; i++) {
                m[i] = rng.uniform() < p ? 0f : keep;
            }
            long[] full = new long[shape.length + 1];
            full[0] = batch;
            System.arraycopy(shape, 0, full, 1, shape.length);
            masks.put(e.getKey(), Nd4j.createFromArray(m).castTo(dtype).reshape('c', full));
        }
        return masks;
    }
}
