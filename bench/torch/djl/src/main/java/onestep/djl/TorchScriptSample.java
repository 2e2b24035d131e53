package onestep.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.inference.Predictor;
import ai.djl.translate.NoopTranslator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * usage: TorchScriptSample TRACE.pt SIZE CLASSES BATCHES ITERATIONS WARMUP
 * Runs a traced one-step sampler (inputs x [N, 3, SIZE, SIZE] and, when CLASSES > 0, int64 labels [N]) and prints
 * one RESULT line per batch size with the median seconds per call.
 */
public final class TorchScriptSample {
    public static void main(String[] args) throws Exception {
        Path trace = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int classes = Integer.parseInt(args[2]);
        String[] batches = args[3].split(",");
        int iterations = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(trace).optEngine("PyTorch").optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            System.out.println("djl pytorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + ", "
                    + System.getProperty("ai.djl.pytorch.num_threads") + " threads");
            for (String b : batches) {
                int batch = Integer.parseInt(b);
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList in = new NDList(m.randomNormal(new Shape(batch, 3, size, size)).mul(80));
                    if (classes > 0) {
                        in.add(m.randomInteger(0, classes, new Shape(batch), DataType.INT64));
                    }
                    List<Double> times = new ArrayList<>();
                    for (int i = 0; i < warmup + iterations; i++) {
                        long t0 = System.nanoTime();
                        try (NDList out = predictor.predict(in)) {
                            out.get(0).toFloatArray();
                        }
                        double s = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("step %d batch %d %.3f s%n", i, batch, s);
                        if (i >= warmup) {
                            times.add(s);
                        }
                    }
                    Collections.sort(times);
                    double median = times.get(times.size() / 2);
                    System.out.printf("RESULT djl batch=%d median_s=%.3f s_per_image=%.3f steps=%d%n", batch, median,
                            median / batch, times.size());
                }
            }
        }
    }
}
