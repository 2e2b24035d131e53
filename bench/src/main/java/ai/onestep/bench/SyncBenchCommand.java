package ai.onestep.bench;

import ai.onestep.cli.Sparks;
import ai.onestep.nn.UNetConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/** {@code onestep bench sync}: the communication table of docs/performance.md (see {@link SyncBench}). */
final class SyncBenchCommand {
    private SyncBenchCommand() {
    }

    static void run(java.io.PrintWriter out, List<Long> sizes, int batch, int rounds) {
        long heap = Runtime.getRuntime().maxMemory();
        try (JavaSparkContext sc = Sparks.start("bench sync", "local[2]", true)) {
            out.printf("bench sync: 2 local workers, parameters + Adam m and v (3 vectors) each round; "
                    + "compute = one CT step (online + target pass, RAdam) at batch %d per worker%n", batch);
            for (long size : sizes) {
                double sync = Double.NaN;
                // on the heap: the broadcast chunks and their serialized pieces, the shuffle's buffers and the sums
                // (the driver's vectors are native; local-mode workers share the broadcast): ~ 4 x 3 vectors
                if (size * 4L * 3 * 4 > heap) {
                    out.printf("sync %,d floats: skipped, needs ~%.0f GB of heap in local mode (have %.0f GB)%n",
                            size, size * 4.0 * 3 * 4 / (1L << 30), heap / (double) (1L << 30));
                } else {
                    sync = ai.onestep.distributed.ExchangeProbe.syncSeconds(sc, size, 2, rounds, 128, 1);
                }
                System.gc(); // hand the exchange's heap back before the network's native memory grows
                UNetConfig net = SyncBench.unetNear(size);
                long p = SyncBench.parameters(net);
                double step = Double.NaN;
                try {
                    step = SyncBench.stepSeconds(net, batch, 2);
                } catch (OutOfMemoryError e) {
                    out.printf("step of the %,d-parameter UNet: out of memory (%s)%n", p, e.getMessage());
                }
                int h = Double.isNaN(step) || Double.isNaN(sync) ? -1 : (int) Math.ceil(19 * sync / step);
                out.printf("RESULT sync %,d floats: %s per round; compute of one step of a %,d-parameter UNet "
                                + "(%dpx, %d ch): %s; sync < 5%% of a round from H = %s%n", size,
                        Double.isNaN(sync) ? "not measured" : String.format("%.3f s", sync), p,
                        net.resolution(), net.modelChannels(), Double.isNaN(step) ? "not measured"
                                : String.format("%.2f s", step), h < 0 ? "n/a" : Math.max(1, h));
            }
        }
    }
}
