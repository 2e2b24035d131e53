package ai.onestep.dist;

import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.ckpt.LocalFiles;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.DenoiserGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the cluster tests read back from a run directory. */
final class RunDirs {
    private RunDirs() {
    }

    /** The online parameters of a run directory's newest checkpoint. */
    static INDArray finalParams(Path runDir) throws Exception {
        LocalFiles files = new LocalFiles(runDir.resolve("checkpoints"));
        String dir = CheckpointIO.latest(files, ".").orElseThrow();
        TrainConfig cfg = TrainConfig.parse(CheckpointIO.readConfig(files, dir), List.of());
        return CheckpointIO.load(files, dir, DenoiserGraph.layout(cfg.network()).specs(), DataType.FLOAT).model();
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        DataType d = DataType.DOUBLE;
        double max = org.nd4j.linalg.ops.transforms.Transforms.abs(expected.castTo(d).sub(actual.castTo(d)))
                .maxNumber().doubleValue();
        assertTrue(max <= 1e-5, what + ": max |diff| = " + max);
    }
}
