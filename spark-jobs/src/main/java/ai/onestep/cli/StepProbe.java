package ai.onestep.cli;

import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.Network;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Measures this machine's training steps per second for a configuration (a few real steps on random data). */
final class StepProbe {
    private StepProbe() {
    }

    static double stepsPerSecond(TrainConfig cfg) {
        Network net = cfg.network();
        long[] shape = new long[net.sampleShape().length + 1];
        shape[0] = cfg.run().batchPerWorker();
        System.arraycopy(net.sampleShape(), 0, shape, 1, net.sampleShape().length);
        INDArray x = Tensors.gaussian(Rng.of(1), DataType.FLOAT, shape).muli(0.5);
        try (Trainer t = new Trainer(cfg.trainerConfig(), net, null, null)) {
            for (int i = 0; i < 3; i++) {
                t.step(x, null); // warm-up
            }
            int n = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                t.step(x, null);
            }
            return n / ((System.nanoTime() - t0) / 1e9) * cfg.run().workers();
        }
    }
}
