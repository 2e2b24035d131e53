package ai.onestep.nd4j;

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
    /** Planes per task: enough that a task's arrays are tens of kilobytes, few enough to spread over the threads. */
    private static final int TASK_FLOATS = 1 << 14;
    /** Each thread's scratch arrays {in, out}, reused from call to call (no garbage per call). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

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
        int perTask = Math.max(1, TASK_FLOATS / inSize);
        int tasks = (planes + perTask - 1) / perTask;
        // planes copied in and out in bulk: the loops then run over Java arrays, several times faster than
        // element-wise buffer access
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int first = t * perTask;
            int count = Math.min(perTask, planes - first);
            float[][] scratch = SCRATCH.get();
            if (scratch[0].length < perTask * inSize || scratch[1].length < perTask * outSize) {
                scratch[0] = new float[perTask * inSize];
                scratch[1] = new float[perTask * outSize];
            }
            float[] a = scratch[0];
            float[] b = scratch[1];
            in.get(first * inSize, a, 0, count * inSize);
            for (int p = 0; p < count; p++) {
                if (up) {
                    up(a, p * inSize, b, p * outSize, h, w, f);
                } else {
                    down(a, p * inSize, b, p * outSize, h, w, f);
                }
            }
            out.put(first * outSize, b, 0, count * outSize);
        });
    }

    private static void down(float[] in, int from, float[] out, int to, int h, int w, float f) {
        int ow = w / 2;
        for (int i = 0; i < h / 2; i++) {
            int top = from + 2 * i * w;
            int bottom = top + w;
            int row = to + i * ow;
            for (int j = 0; j < ow; j++) {
                out[row + j] = f * (in[top + 2 * j] + in[top + 2 * j + 1] + in[bottom + 2 * j]
                        + in[bottom + 2 * j + 1]);
            }
        }
    }

    private static void up(float[] in, int from, float[] out, int to, int h, int w, float f) {
        int ow = 2 * w;
        for (int i = 0; i < h; i++) {
            int src = from + i * w;
            int top = to + 2 * i * ow;
            for (int j = 0; j < w; j++) {
                float v = f * in[src + j];
                out[top + 2 * j] = v;
                out[top + 2 * j + 1] = v;
            }
            System.arraycopy(out, top, out, top + ow, ow);
        }
    }
}
