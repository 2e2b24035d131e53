package ai.onestep.cli;

import ai.onestep.files.HadoopFiles;
import ai.onestep.ckpt.Checkpoint;
import ai.onestep.run.RunCheckpoint;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.ParamStore;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.List;

/** {@code onestep inspect CHECKPOINT}: what a checkpoint holds, after verifying every file's checksum. */
final class InspectCheckpoint {
    private InspectCheckpoint() {
    }

    static int print(String path, Configuration conf, java.io.PrintWriter out) throws IOException {
        RunCheckpoint ck = RunCheckpoint.load(new HadoopFiles(path, conf)); // verifies checksums and the parameter layout
        Checkpoint c = ck.checkpoint();
        out.println("checkpoint " + ck.dir());
        out.println("  method     " + ck.config().methodSettings().kindName() + ", network " + ck.network().describe());
        out.printf("  step       %d (round %d), seed %d%n", c.step(), c.round(), c.seed());
        List<ParamStore.Spec> frozen = DenoiserGraph.layout(ck.network()).frozen();
        out.printf("  parameters %,d%s%n", c.model().length(), frozen.isEmpty() ? ""
                : String.format(" (of which %,d in frozen buffers fitted from data: %s)",
                frozen.stream().mapToLong(ParamStore.Spec::length).sum(),
                String.join(", ", frozen.stream().map(ParamStore.Spec::name).toList())));
        out.println("  EMA rates  " + c.emas().keySet());
        out.println("  target     " + (c.target() != null ? "yes" : "no") + ", optimizer state "
                + (c.optimizer() != null ? "yes" : "no"));
        out.println("  data positions " + c.extra().getOrDefault("positions", "none"));
        out.println("  integrity  ok: every file matches checksums.sha256 and the layout matches the network");
        out.println("  config     " + ck.config().json());
        return 0;
    }
}
