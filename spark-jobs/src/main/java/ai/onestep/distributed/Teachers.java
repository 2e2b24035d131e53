package ai.onestep.distributed;

import ai.onestep.ckpt.Weights;
import ai.onestep.files.HadoopFiles;
import ai.onestep.ckpt.Checkpoint;
import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.precond.EdmPrecond;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The EDM teacher of consistency distillation: a checkpoint directory (or a run directory, whose latest checkpoint
 * is used) with the student's architecture, loaded with its EDM preconditioning.
 */
final class Teachers {
    private Teachers() {
    }

    /** The teacher's parameters: its online parameters or one EMA, as {@code method.teacherEma} says. */
    static INDArray parameters(TrainConfig cfg, Configuration conf) {
        String uri = cfg.methodSettings().teacher();
        try {
            HadoopFiles files = new HadoopFiles(uri, conf);
            String dir = CheckpointIO.newest(files, "method.teacher");
            Checkpoint c;
            try {
                c = CheckpointIO.load(files, dir, DenoiserGraph.layout(cfg.network()).specs(), DataType.FLOAT);
            } catch (ai.onestep.ckpt.CorruptCheckpointException | IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("teacher checkpoint " + files.describe(dir)
                        + " does not fit the student network: " + e.getMessage());
            }
            if (!(cfg.methodSettings().teacherEma() instanceof ai.onestep.ckpt.Weights.Ema wanted)) {
                return c.model();
            }
            double rate = wanted.rate();
            INDArray ema = c.emas().get(rate);
            if (ema == null && c.emas().isEmpty()) {
                throw new IllegalArgumentException("teacher checkpoint " + files.describe(dir) + " holds one set of "
                        + "weights and no EMA (an imported checkpoint does): set method.teacherEma = online");
            }
            if (ema == null) {
                throw new IllegalArgumentException("teacher checkpoint " + files.describe(dir) + " has no EMA " + rate
                        + " (it has " + c.emas().keySet() + ")");
            }
            return ema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GraphDenoiser load(TrainConfig cfg, Configuration conf) {
        return new GraphDenoiser(cfg.network(), new EdmPrecond(cfg.methodSettings().sigmaData()), DataType.FLOAT, false).bind(parameters(cfg, conf));
    }
}
