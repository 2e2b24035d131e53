package ai.onestep.cli;

import ai.onestep.distributed.SyncBench;
import ai.onestep.nn.UNetConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/** {@code onestep bench sync}: the communication table of the README (see {@link SyncBench}). */
final class SyncBenchCommand {
    private SyncBenchCommand() {
    }

    static void run(List<Long> sizes, int batch, int rounds) {
        long heap = Runtime.getRuntime().maxMemory();
        try (JavaSparkContext sc = Sparks.start("bench sync", "local[2]", true)) {
            System.out.printf("bench sync: 2 local workers, parameters + Adam m and v (3 vectors) each round; "
                    + "compute = one CT step (online + target pass, RAdam) at batch %d per worker%n", batch);
            for (long size : sizes) {
                // the driver holds the vectors, the broadcast blocks, both workers' copies and the sums: ~ 9 x 3 vectors
                if (size * 4L * 3 * 9 > heap) {
                    System.out.printf("RESULT sync %,d floats: skipped, needs ~%.0f GB of heap in local mode (have %.0f GB)%n",
                            size, size * 4.0 * 3 * 9 / (1L << 30), heap / (double) (1L << 30));
                    continue;
                }
                double sync = SyncBench.syncSeconds(sc, (int) size, 2, rounds, 128);
                UNetConfig net = SyncBench.unetNear(size);
                long p = SyncBench.parameters(net);
                double step = p > 100_000_000 ? Double.NaN : SyncBench.stepSeconds(net, batch, 2);
                int h = Double.isNaN(step) ? -1 : (int) Math.ceil(19 * sync / step);
                System.out.printf("RESULT sync %,d floats: %.3f s per round; compute of one step of a %,d-parameter UNet "
                                + "(%dpx, %d ch): %s; sync < 5%% of a round from H = %s%n", size, sync, p,
                        net.resolution(), net.modelChannels(), Double.isNaN(step) ? "not measured (CPU memory)"
                                : String.format("%.2f s", step), h < 0 ? "n/a" : Math.max(1, h));
            }
        }
    }
}
