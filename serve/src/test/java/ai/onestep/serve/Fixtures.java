package ai.onestep.serve;

import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.TrainConfig;
import ai.onestep.distributed.HadoopFiles;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small real checkpoints for the demo's tests: a few single-process training steps of a preset, saved as runs save them. */
final class Fixtures {
    static final Path PRESETS = locate();

    private Fixtures() {
    }

    /** Trains {@code steps} steps of conf/digits8-ct.conf (8x8) with overrides on smooth random images; returns the run dir. */
    static Path run(Path checkpoints, String name, int steps, String... overrides) throws IOException {
        TrainConfig cfg = TrainConfig.load(PRESETS.resolve("digits8-ct.conf"), List.of(overrides));
        Path dir = checkpoints.resolve(name);
        try (Trainer t = new Trainer(cfg.trainerConfig(new org.apache.hadoop.conf.Configuration()), cfg.network(), null, null)) {
            long[] shape = cfg.network().sampleShape();
            int classes = cfg.network().numClasses();
            int[] labels = classes == 0 ? null : new int[]{0, 1 % classes, 2 % classes, 3 % classes};
            for (int k = 0; k < steps; k++) {
                INDArray x = Tensors.gaussian(Rng.derive(7, k), DataType.FLOAT, 4, shape[0], shape[1], shape[2]);
                t.step(x.muli(0.3), labels);
            }
            CheckpointIO.save(new HadoopFiles(dir.toUri().toString(), new Configuration()), "checkpoints",
                    t.checkpoint(steps, Map.of(), cfg.json()));
        }
        return dir;
    }

    private static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf").resolve("include"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("conf/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("conf");
    }
}
