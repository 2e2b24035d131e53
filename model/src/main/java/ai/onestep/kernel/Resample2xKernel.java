package ai.onestep.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Factor-2 resampling of each [H, W] plane of float [N, C, H, W] arrays, in one pass over the memory, planes spread
 * over the common fork-join pool:
 * <pre>  down: y[i][j] = f (((x[2i][2j] + x[2i][2j+1]) + x[2i+1][2j]) + x[2i+1][2j+1])   (f = 1/4: average pooling)
 *  up:   y[2i+a][2j+b] = f x[i][j],  a, b in {0, 1}                                   (f = 1: nearest upsampling)</pre>
 * Each is the other's transpose: the gradient of down with factor f is up with factor f, and the other way round.
 * The sum runs in ND4J's (oneDNN's) order, so average pooling matches {@code avgpool2d} bit for bit
 * ({@code Resample2xTest}).
 */
final class Resample2xKernel {
    private Resample2xKernel() {
    }

    /** y = down(x) or up(x) with factor f; x and y dense float, y [N, C, H/2, W/2] or [N, C, 2H, 2W]. */
    static void apply(boolean up, float f, INDArray x, INDArray y) {
        int planes = (int) (x.size(0) * x.size(1));
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        FloatBuffer in = JavaOps.memory(x, 0, x.length()).asFloatBuffer();
        FloatBuffer out = JavaOps.memory(y, 0, y.length()).asFloatBuffer();
        int inSize = h * w;
        int outSize = up ? 4 * inSize : inSize / 4;
        // planes copied in and out in bulk: the loops then run over Java arrays, several times faster than
        // element-wise buffer access
        IntStream.range(0, planes).parallel().forEach(p -> {
            float[] a = new float[inSize];
            float[] b = new float[outSize];
            in.get(p * inSize, a);
            if (up) {
                up(a, b, h, w, f);
            } else {
                down(a, b, h, w, f);
            }
            out.put(p * outSize, b);
        });
    }

    private static void down(float[] in, float[] out, int h, int w, float f) {
        int ow = w / 2;
        for (int i = 0; i < h / 2; i++) {
            int top = 2 * i * w;
            int bottom = top + w;
            int row = i * ow;
            for (int j = 0; j < ow; j++) {
                out[row + j] = f * (in[top + 2 * j] + in[top + 2 * j + 1] + in[bottom + 2 * j]
                        + in[bottom + 2 * j + 1]);
            }
        }
    }

    private static void up(float[] in, float[] out, int h, int w, float f) {
        int ow = 2 * w;
        for (int i = 0; i < h; i++) {
            int src = i * w;
            int top = 2 * i * ow;
            for (int j = 0; j < w; j++) {
                float v = f * in[src + j];
                out[top + 2 * j] = v;
                out[top + 2 * j + 1] = v;
            }
            System.arraycopy(out, top, out, top + ow, ow);
        }
    }
}
