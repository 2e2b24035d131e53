package ai.onestep.serve;

import ai.onestep.ckpt.LocalFiles;
import ai.onestep.conf.Locations;
import ai.onestep.testing.Presets;
import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.TrainConfig;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small real checkpoints for the demo's tests: a few single-process training steps of a preset, saved as runs save them. */
final class Fixtures {
    private Fixtures() {
    }

    /** Trains {@code steps} steps of conf/digits8-ct.conf (8x8) with overrides on smooth random images; returns the run dir. */
    static Path run(Path checkpoints, String name, int steps, String... overrides) throws IOException {
        TrainConfig cfg = TrainConfig.load(Presets.file("digits8-ct"), List.of(overrides));
        Path dir = checkpoints.resolve(name);
        try (Trainer t = new Trainer(cfg.trainerConfig(Locations.LOCAL), cfg.network(), null, null)) {
            long[] shape = cfg.network().sampleShape();
            int classes = cfg.network().numClasses();
            int[] labels = classes == 0 ? null : new int[]{0, 1 % classes, 2 % classes, 3 % classes};
            for (int k = 0; k < steps; k++) {
                INDArray x = Tensors.gaussian(Rng.derive(7, k), DataType.FLOAT, 4, shape[0], shape[1], shape[2]);
                t.step(x.muli(0.3), labels);
            }
            CheckpointIO.save(new LocalFiles(dir), "checkpoints",
                    t.checkpoint(steps, Map.of(), cfg.json()));
        }
        return dir;
    }
}
