package ai.onestep.quickstart;

import ai.onestep.files.HadoopLocations;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.Network;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures this machine's training steps per second for a configuration: rounds of H local steps on random data, as the
 * trainer runs them, median of 5 after 2 warm-up rounds (the first steps pay for graph building and allocation).
 */
final class StepProbe {
    private StepProbe() {
    }

    static double stepsPerSecond(TrainConfig cfg) {
        Network net = cfg.network();
        long[] shape = new long[net.sampleShape().length + 1];
        shape[0] = cfg.run().batchPerWorker();
        System.arraycopy(net.sampleShape(), 0, shape, 1, net.sampleShape().length);
        INDArray x = Tensors.gaussian(Rng.of(1), DataType.FLOAT, shape).muli(0.5);
        int[] labels = net.numClasses() > 0 ? new int[(int) shape[0]] : null; // class 0 costs what any class costs
        int h = Math.max(1, cfg.run().localSteps());
        try (Trainer t = new Trainer(cfg.trainerConfig(new HadoopLocations(new org.apache.hadoop.conf.Configuration())), net, null, null)) {
            double[] perStep = new double[5];
            for (int r = -2; r < perStep.length; r++) { // rounds of H local steps as the trainer runs them; 2 warm-up
                long t0 = System.nanoTime();
                for (int i = 0; i < h; i++) {
                    t.localStep(x, labels, 0);
                }
                t.endRound(h);
                if (r >= 0) {
                    perStep[r] = (System.nanoTime() - t0) / 1e9 / h;
                }
            }
            java.util.Arrays.sort(perStep);
            return cfg.run().workers() / perStep[perStep.length / 2];
        }
    }
}
