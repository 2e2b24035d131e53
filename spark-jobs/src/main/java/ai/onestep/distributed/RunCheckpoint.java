package ai.onestep.distributed;

import ai.onestep.conf.MethodSettings;
import ai.onestep.ckpt.Checkpoint;
import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.nn.Network;
import org.apache.hadoop.conf.Configuration;
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
    public static Info peek(String uri, Configuration conf) throws IOException {
        HadoopFiles files = files(uri, conf);
        String dir = DistributedTrainer.newestCheckpoint(files, "--checkpoint");
        return new Info(files.describe(dir), TrainConfig.parse(CheckpointIO.readConfig(files, dir), List.of()));
    }

    public static RunCheckpoint load(String uri, Configuration conf) throws IOException {
        HadoopFiles files = files(uri, conf);
        String dir = DistributedTrainer.newestCheckpoint(files, "--checkpoint");
        TrainConfig cfg = TrainConfig.parse(CheckpointIO.readConfig(files, dir), List.of());
        Network net = cfg.network();
        Checkpoint c = CheckpointIO.load(files, dir, DenoiserGraph.layout(net).specs(), DataType.FLOAT);
        return new RunCheckpoint(files.describe(dir), cfg, net, c);
    }

    private static HadoopFiles files(String uri, Configuration conf) throws IOException {
        HadoopFiles files = new HadoopFiles(uri, conf);
        if (!files.exists(".") && !files.exists(CheckpointIO.CHECKSUMS)) {
            throw new IllegalArgumentException("checkpoint does not exist: " + uri);
        }
        return files;
    }

    /** True for an EDM teacher (sampled with Heun), false for consistency models. */
    public boolean isEdm() {
        return config.methodSettings().kind() == MethodSettings.Kind.EDM;
    }

    /** The parameters of one EMA rate, or the online parameters when rate is null. */
    public INDArray parameters(Double rate) {
        if (rate == null) {
            return checkpoint.model();
        }
        INDArray p = checkpoint.emas().get(rate);
        if (p == null) {
            throw new IllegalArgumentException("checkpoint " + dir + " has no EMA " + rate + " (it has "
                    + checkpoint.emas().keySet() + ")");
        }
        return p;
    }

    /** The default weights for sampling: the first configured EMA when present, else the online parameters. */
    public Double defaultEma() {
        return checkpoint.emas().isEmpty() ? null : config.emaRates().stream()
                .filter(checkpoint.emas()::containsKey).findFirst().orElse(checkpoint.emas().keySet().iterator().next());
    }

    /** A command's --ema choice: null = the default EMA, 0 = the online parameters (returned as null), else the rate. */
    public Double emaRate(Double requested) {
        return requested == null ? defaultEma() : requested == 0 ? null : requested;
    }

    public GraphDenoiser denoiser(Double rate) {
        return GraphDenoiser.forInference(network, config.precond(), DataType.FLOAT).bind(parameters(rate));
    }
}
