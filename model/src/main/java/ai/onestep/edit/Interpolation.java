package ai.onestep.edit;

import ai.onestep.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spherical interpolation between two Gaussian latents (Shoemake 1985; used for the interpolation figures of Song et
 * al. 2023): z(a) = sin((1 - a) theta) / sin(theta) z1 + sin(a theta) / sin(theta) z2 with cos(theta) =
 * z1 . z2 / (|z1| |z2|). Linear interpolation would shrink the norm and leave the typical set of the noise.
 */
public final class Interpolation {
    private Interpolation() {
    }

    /** @param z1 one latent [1, ...]; @param z2 the other; @param alphas positions in [0, 1]; returns [alphas, ...] */
    public static INDArray slerp(INDArray z1, INDArray z2, double[] alphas) {
        Check.that(java.util.Arrays.equals(z1.shape(), z2.shape()), "interpolated latents must have one shape");
        double cos = z1.mul(z2).sumNumber().doubleValue() / (z1.norm2Number().doubleValue() * z2.norm2Number().doubleValue());
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        INDArray[] rows = new INDArray[alphas.length];
        for (int i = 0; i < alphas.length; i++) {
            double a = alphas[i];
            Check.that(a >= 0 && a <= 1, "interpolation positions must be in [0, 1] (got " + a + ")");
            double w1, w2;
            if (theta < 1e-6) {
                w1 = 1 - a;
                w2 = a;
            } else {
                w1 = Math.sin((1 - a) * theta) / Math.sin(theta);
                w2 = Math.sin(a * theta) / Math.sin(theta);
            }
            rows[i] = z1.mul(w1).addi(z2.mul(w2));
        }
        return Nd4j.concat(0, rows);
    }
}
