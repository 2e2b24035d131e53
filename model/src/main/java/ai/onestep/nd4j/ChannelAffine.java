package ai.onestep.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A per-channel affine map y = gamma_c x + beta_c of a rank-4 activation, computed in one fused pass by ND4J's
 * inference-mode {@code batchnorm} with mean 0 and variance 1 (its epsilon, 1e-5, is taken off the variance so the
 * scale is 1), with its backward pass written out:
 * <pre>  dL/dx = gamma_c g,   dL/dgamma_c = sum g x,   dL/dbeta_c = sum g   (sums over batch and pixels)</pre>
 * {@link Layers} registers it as the {@code batchnorm} class ({@link ai.onestep.nd4j.OpRegistry}); OneStep differentiates no other
 * batchnorm.
 */
public final class ChannelAffine extends BatchNorm {
    private static final double EPS = 1e-5;

    /** For ND4J's registry (ops are recreated by reflection). */
    public ChannelAffine() {
    }

    private ChannelAffine(SameDiff sd, SDVariable x, SDVariable mean, SDVariable variance, SDVariable gamma,
                          SDVariable beta, int axis) {
        super(sd, x, mean, variance, gamma, beta, EPS, new int[]{axis});
    }

    /** gamma_c x + beta_c along {@code axis}; gamma and beta [channels]. */
    static SDVariable apply(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, long channels,
                            DataType dtype, int axis) {
        SDVariable mean = sd.constant(Nd4j.zeros(dtype, channels));
        SDVariable variance = sd.constant(Nd4j.zeros(dtype, channels).addi(1 - EPS));
        return new ChannelAffine(sd, x, mean, variance, gamma, beta, axis).outputVariable();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> grads) {
        SDVariable[] in = args();
        SDVariable x = in[0];
        SDVariable gamma = in[3];
        SDVariable g = grads.get(0);
        int axis = iArguments.get(2).intValue(); // batchnorm's integer arguments: applyGamma, applyBeta, axis
        SDVariable gammaBroadcast = axis == 1 ? gamma.reshape(1, -1, 1, 1) : gamma.reshape(1, 1, 1, -1);
        return List.of(g.mul(gammaBroadcast), sameDiff.zerosLike(in[1]), sameDiff.zerosLike(in[2]),
                perChannelSum(g.mul(x), axis), perChannelSum(g, axis));
    }

    /**
     * Sum over batch and pixels, in one reduction (first over planes, then over the batch, is faster but fails at
     * batch 1: ND4J 1.0.0-M2.1 takes a reduction over a size-1 axis for a no-op and loses its input).
     */
    private static SDVariable perChannelSum(SDVariable t, int axis) {
        return axis == 1 ? t.sum(0, 2, 3) : t.sum(0, 1, 2);
    }
}
