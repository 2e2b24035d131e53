package ai.onestep.ema;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The exponential moving average, in place: avg <- decay avg + (1 - decay) value. */
public final class Ema {
    private Ema() {
    }

    public static void update(INDArray avg, INDArray value, double decay) {
        // (avg - value) * decay + value == decay avg + (1 - decay) value, with no temporary array
        avg.subi(value).muli(decay).addi(value);
    }
}
