package ai.onestep.nd4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Standardize;

import java.util.List;

/**
 * ND4J's {@code standardize} op, y = (x - mean) / sigma over the given axes (sigma the population standard deviation),
 * with its backward pass written out in three reductions and elementwise ops instead of ND4J's {@code standardize_bp}
 * (which made about fifteen passes over the activations; docs/decisions.md):
 * <pre>  dL/dx = (g - mean(g) - y mean(g y)) / sigma,   sigma = mean(x y)   (mean(y) = 0, mean(y^2) = 1)</pre>
 * the gradient of standardisation (Ioffe &amp; Szegedy 2015, eq. for dL/dx_i, with the affine factored out). A
 * constant group (sigma = 0, y = 0) gets zero gradient, the eps -> 0 limit GroupNorm uses (see
 * {@link Layers#groupNorm}).
 * <p>{@link Layers} registers it as the {@code standardize} class ({@link ai.onestep.nd4j.OpRegistry}) when it is first loaded: every
 * {@code standardize} op differentiated afterwards uses this backward pass (in OneStep only GroupNorm standardises).
 */
public final class GroupStandardize extends Standardize {
    /** For ND4J's registry (ops are recreated by reflection). */
    public GroupStandardize() {
    }

    GroupStandardize(SameDiff sd, SDVariable x, int... dims) {
        super(sd, x, dims);
    }

    /** Standardises x over dims, differentiated by this class's backward pass. */
    static SDVariable apply(SameDiff sd, SDVariable x, int... dims) {
        return new GroupStandardize(sd, x, dims).outputVariable();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        int[] dims = new int[iArguments.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = iArguments.get(i).intValue();
        }
        SDVariable x = arg();
        SDVariable y = outputVariable();
        SDVariable g = grads.get(0);
        SDVariable sigma = x.mul(y).mean(true, dims);
        SDVariable live = sigma.gt(0.0).castTo(x.dataType()); // 0 for a constant group
        SDVariable inverse = live.div(sigma.add(live.rsub(1.0))); // 1 / sigma, or 0 / 1
        SDVariable meanG = g.mean(true, dims);
        SDVariable meanGy = g.mul(y).mean(true, dims);
        return List.of(g.sub(meanG).sub(y.mul(meanGy)).mul(inverse));
    }
}
