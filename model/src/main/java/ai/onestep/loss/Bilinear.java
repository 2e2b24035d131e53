package ai.onestep.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear resizing as PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)} (no antialiasing), written
 * as two constant matrix products: SameDiff's resize ops lack a working backward pass in 1.0.0-M2.1.
 */
final class Bilinear {
    private Bilinear() {
    }

    /** x [N, c, h, w] resized to [N, c, size, size]. */
    static SDVariable resize(SameDiff sd, SDVariable x, long c, long h, long w, int size, DataType dt) {
        SDVariable rw = sd.constant(Nd4j.createFromArray(interpolation(w, size)).castTo(dt)); // [size, w]
        SDVariable rh = sd.constant(Nd4j.createFromArray(interpolation(h, size)).castTo(dt)); // [size, h]
        SDVariable alongW = sd.mmul(x.reshape(-1, w), rw, false, true, false).reshape(-1, h, size); // [N*c, h, size]
        SDVariable alongH = sd.mmul(alongW.permute(0, 2, 1).reshape(-1, h), rh, false, true, false); // [N*c*size, size]
        return alongH.reshape(-1, c, size, size).permute(0, 1, 3, 2);
    }

    /** Row i: the weights of the input pixels that output pixel i interpolates (half-pixel centres, clamped). */
    static double[][] interpolation(long in, int out) {
        double[][] m = new double[out][(int) in];
        for (int i = 0; i < out; i++) {
            double src = Math.max(0, (i + 0.5) * in / out - 0.5);
            int i0 = (int) Math.floor(src);
            int i1 = (int) Math.min(i0 + 1, in - 1);
            double lambda = src - i0;
            m[i][i0] += 1 - lambda;
            m[i][i1] += lambda;
        }
        return m;
    }
}
