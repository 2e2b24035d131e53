package ai.onestep.distributed;

import ai.onestep.data.stream.Position;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The parameter exchange alone, measured: workers that return what they were sent, so a round's seconds are
 * communication only (broadcast of parameters and optimizer state, task scheduling, summing, the driver's averaging).
 * It sits in the exchange's package, inside the benchmark module, because it drives package-private types.
 */
public final class ExchangeProbe {
    private ExchangeProbe() {
    }

    /** Communication seconds per round (median of {@code rounds}, after one warm-up round) for {@code floats} parameters, 3 vectors moved. */
    public static double syncSeconds(JavaSparkContext sc, long floats, int workers, int rounds, double chunkMb,
                                     long seed) {
        RoundExchange.Work echo = (state, w) -> {
            RoundSum r = RoundSum.empty(state.positions.length);
            r.workers = 1;
            r.steps = 1;
            r.params = state.params; // the worker's view of the broadcast; a trainer would return new values
            r.optimizer = state.optimizer;
            r.positions[w] = state.positions[w];
            return r;
        };
        RoundExchange ex = new RoundExchange(sc, echo, workers, (int) (chunkMb * (1 << 20) / 4));
        // random values, as trained weights and Adam moments are: constants would let Spark's lz4 compress the
        // broadcast to almost nothing and understate the cost
        Nd4j.getRandom().setSeed(seed);
        INDArray params = Nd4j.randn(DataType.FLOAT, floats).muli(0.05);
        INDArray opt = Nd4j.randn(DataType.FLOAT, 2 * floats).muli(1e-3);
        Position[] pos = new Position[workers];
        for (int w = 0; w < workers; w++) {
            pos[w] = Position.start(w);
        }
        double[] t = new double[rounds];
        for (int i = -1; i < rounds; i++) { // round -1 warms up the JIT and grows the heap; it is not counted
            long t0 = System.nanoTime();
            RoundSum s = ex.run(new RoundState(i + 1, i + 1, 1, null, null, null, pos), params, null, opt);
            params.close();
            opt.close();
            params = s.params.toNd4j().muli(1.0 / s.workers); // the driver's averaging is part of the round's cost
            opt = s.optimizer.toNd4j().muli(1.0 / s.workers);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (i >= 0) {
                t[i] = seconds;
            }
        }
        Arrays.sort(t);
        return t[rounds / 2];
    }
}
