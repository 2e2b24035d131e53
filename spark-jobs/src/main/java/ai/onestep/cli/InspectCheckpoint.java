package ai.onestep.cli;

import ai.onestep.ckpt.Checkpoint;
import ai.onestep.distributed.RunCheckpoint;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;

/** {@code onestep inspect CHECKPOINT}: what a checkpoint holds, after verifying every file's checksum. */
final class InspectCheckpoint {
    private InspectCheckpoint() {
    }

    static int print(String path, Configuration conf) throws IOException {
        RunCheckpoint ck = RunCheckpoint.load(path, conf); // verifies checksums and the parameter layout
        Checkpoint c = ck.checkpoint();
        System.out.println("checkpoint " + ck.dir());
        System.out.println("  method     " + ck.config().methodSettings().kind() + ", network " + ck.network().describe());
        System.out.printf("  step       %d (round %d), seed %d%n", c.step(), c.round(), c.seed());
        System.out.printf("  parameters %,d%n", c.model().length());
        System.out.println("  EMA rates  " + c.emas().keySet());
        System.out.println("  target     " + (c.target() != null ? "yes" : "no") + ", optimizer state "
                + (c.optimizer() != null ? "yes" : "no"));
        System.out.println("  data positions " + c.extra().getOrDefault("positions", "none"));
        System.out.println("  integrity  ok: every file matches checksums.sha256 and the layout matches the network");
        System.out.println("  config     " + ck.config().json());
        return 0;
    }
}
