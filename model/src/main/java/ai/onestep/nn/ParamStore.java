package ai.onestep.nn;

import ai.onestep.util.Rng;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one network as a single flat vector. Each SameDiff variable's array is a view into that vector,
 * so the optimizer, EMA, averaging across workers and checkpoints all work on one contiguous array.
 * Names and shapes follow the original PyTorch state dict (conv weights [out, in, kh, kw], linear [out, in]).
 */
public final class ParamStore {
    /**
     * One parameter: its state-dict name, PyTorch shape, initialiser and offset into the flat vector. A frozen one is
     * a buffer fitted from data (like PyTorch's registered buffers): it travels with the weights - checkpoints, EMA,
     * averaging - but gets no gradient, so the optimizer never moves it.
     */
    public record Spec(String name, long[] shape, Init init, long offset, long length, boolean frozen) {
    }

    private final SameDiff sd;
    private final DataType dtype;
    private final boolean layoutOnly;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private long size;
    private SingleThreadArrayHolder holder;

    private ParamStore(SameDiff sd, DataType dtype, boolean layoutOnly) {
        this.sd = sd;
        this.dtype = dtype;
        this.layoutOnly = layoutOnly;
    }

    /** Parameters that will be trained or evaluated: SameDiff variables bound to a flat vector. */
    public static ParamStore forGraph(SameDiff sd, DataType dtype) {
        return new ParamStore(sd, dtype, false);
    }

    /** Shapes only, no memory: parameters are symbolic placeholders (used to count a 300M-parameter net cheaply). */
    public static ParamStore layoutOnly(SameDiff sd) {
        return new ParamStore(sd, DataType.FLOAT, true);
    }

    public SDVariable declare(String name, Init init, long... shape) {
        return declare(name, init, false, shape);
    }

    /** A buffer: part of the flat vector but never trained (zeros until a data fit writes it, see {@link #frozen}). */
    public SDVariable declareFrozen(String name, long... shape) {
        return declare(name, Init.zeros(), true, shape);
    }

    private SDVariable declare(String name, Init init, boolean frozen, long... shape) {
        if (specs.containsKey(name)) {
            throw new IllegalStateException("parameter declared twice: " + name);
        }
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        specs.put(name, new Spec(name, shape.clone(), init, size, length, frozen));
        size += length;
        return layoutOnly ? sd.placeHolder(name, dtype, shape) : sd.var(name, dtype, shape);
    }

    public long size() {
        return size;
    }

    public DataType dtype() {
        return dtype;
    }

    public List<Spec> specs() {
        return Collections.unmodifiableList(new ArrayList<>(specs.values()));
    }

    public List<String> names() {
        return new ArrayList<>(specs.keySet());
    }

    /** The parameters that get gradients (all but the frozen buffers). */
    public List<String> trainableNames() {
        return specs.values().stream().filter(s -> !s.frozen()).map(Spec::name).toList();
    }

    /** The frozen buffers (see {@link Spec}). */
    public List<Spec> frozen() {
        return specs.values().stream().filter(Spec::frozen).toList();
    }

    /** A fresh flat vector initialised by each parameter's {@link Init}, deterministic in the seed. */
    public INDArray initialise(Rng rng) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("more than 2^31 parameters are not supported");
        }
        float[] values = new float[(int) size];
        for (Spec s : specs.values()) {
            s.init().fill(values, (int) s.offset(), (int) s.length(), rng);
        }
        return Nd4j.createFromArray(values).castTo(dtype);
    }

    /** Makes every variable of the graph a view of {@code flat}; later in-place changes to flat are seen by the graph. */
    public void bind(INDArray flat) {
        if (layoutOnly) {
            throw new IllegalStateException("a layout-only store has no graph to bind");
        }
        if (flat.length() != size || flat.dataType() != dtype) {
            throw new IllegalArgumentException("flat parameter vector has " + flat.length() + " " + flat.dataType()
                    + " values, the network needs " + size + " " + dtype);
        }
        if (holder == null) {
            // SameDiff copies a view passed through setArrayForVariable; a holder of our own keeps the view itself.
            holder = new SingleThreadArrayHolder();
            sd.setArrayHolders(holder, new SingleThreadArrayHolder(), true);
        }
        for (Spec s : specs.values()) {
            holder.setArray(s.name(), view(flat, s));
        }
    }

    /** The part of {@code flat} that holds parameter {@code s}, shaped as the parameter. */
    public static INDArray view(INDArray flat, Spec s) {
        return flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length())).reshape('c', s.shape());
    }

    public Spec spec(String name) {
        Spec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return s;
    }
}
