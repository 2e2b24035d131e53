package ai.onestep.run;

import ai.onestep.conf.MethodSettings;
import ai.onestep.ckpt.Checkpoint;
import ai.onestep.ckpt.CheckpointFiles;
import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.ckpt.Weights;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.List;

/**
 * A verified checkpoint with the configuration it was trained with: what {@code sample}, {@code inspect} and the
 * demo load. Accepts a checkpoint directory or a run directory (its newest complete checkpoint).
 */
public record RunCheckpoint(String dir, TrainConfig config, Network network, Checkpoint checkpoint) {
    /** A checkpoint's location and configuration, read without its parameters (for listings). */
    public record Info(String dir, TrainConfig config) {
    }

    /** Reads only the newest checkpoint's configuration; fails like {@link #load} when there is no checkpoint. */
    public static Info peek(CheckpointFiles files) throws IOException {
        String dir = CheckpointIO.newest(files, "--checkpoint");
        return new Info(files.describe(dir), TrainConfig.parse(CheckpointIO.readConfig(files, dir), List.of()));
    }

    /** A checkpoint directory, or a run directory's newest complete checkpoint, verified against its checksums. */
    public static RunCheckpoint load(CheckpointFiles files) throws IOException {
        String dir = CheckpointIO.newest(files, "--checkpoint");
        TrainConfig cfg = TrainConfig.parse(CheckpointIO.readConfig(files, dir), List.of());
        Network net = cfg.network();
        Checkpoint c = CheckpointIO.load(files, dir, DenoiserGraph.layout(net).specs(), DataType.FLOAT);
        return new RunCheckpoint(files.describe(dir), cfg, net, c);
    }

    /** True for an EDM teacher (sampled with Heun), false for consistency models. */
    public boolean isEdm() {
        return config.methodSettings().kind() == MethodSettings.Kind.EDM;
    }

    /** {@code wanted} made concrete: the default becomes the first configured EMA the checkpoint holds, or online. */
    public Weights resolve(Weights wanted) {
        if (wanted instanceof Weights.Ema e) {
            if (!checkpoint.emas().containsKey(e.rate())) {
                throw new IllegalArgumentException("checkpoint " + dir + " has no EMA " + e.rate() + " (it has "
                        + checkpoint.emas().keySet() + ")");
            }
            return e;
        }
        if (wanted instanceof Weights.Online || checkpoint.emas().isEmpty()) {
            return new Weights.Online();
        }
        return new Weights.Ema(config.emaRates().stream().filter(checkpoint.emas()::containsKey).findFirst()
                .orElse(checkpoint.emas().keySet().iterator().next()));
    }

    /** The parameter vector of {@code wanted}. */
    public INDArray parameters(Weights wanted) {
        return resolve(wanted) instanceof Weights.Ema e ? checkpoint.emas().get(e.rate()) : checkpoint.model();
    }

    /** An inference denoiser bound to the parameters of {@code wanted}. */
    public GraphDenoiser denoiser(Weights wanted) {
        return GraphDenoiser.forInference(network, config.precond(), DataType.FLOAT).bind(parameters(wanted));
    }
}
