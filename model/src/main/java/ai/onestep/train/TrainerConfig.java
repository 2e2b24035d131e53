package ai.onestep.train;

import ai.onestep.optim.Adam;
import ai.onestep.optim.LearningRate;
import ai.onestep.optim.Optimizer;
import ai.onestep.optim.RAdam;
import ai.onestep.util.Check;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/**
 * Everything the single-process trainer needs besides the network and the data.
 *
 * @param method    EDM, CT or CD
 * @param optimizer ADAM or RADAM (the Consistency Models runs use RAdam)
 * @param lr        learning rate
 * @param clipNorm  global gradient-norm clip, 0 = off
 * @param emaRates  EMA rates kept for evaluation
 * @param seed      the seed every random stream derives from
 * @param dtype     FLOAT for training; DOUBLE for gradient checks
 * @param cosineDecaySteps 0 for a constant learning rate, else cosine decay to zero over this many steps
 */
public record TrainerConfig(Method method, OptimizerKind optimizer, double lr, double clipNorm, List<Double> emaRates,
                            long seed, DataType dtype, long cosineDecaySteps) {
    public enum OptimizerKind { ADAM, RADAM }

    public TrainerConfig {
        Check.that(method != null, "method must be set");
        Check.that(optimizer != null, "optimizer must be ADAM or RADAM");
        Check.positive("lr", lr);
        Check.that(clipNorm >= 0, "clipNorm must be >= 0 (got " + clipNorm + ")");
        emaRates = List.copyOf(emaRates == null ? List.of() : emaRates);
        for (double r : emaRates) {
            Check.inHalfOpen("emaRates", r, 0, 1);
        }
        Check.that(dtype == DataType.FLOAT || dtype == DataType.DOUBLE, "dtype must be FLOAT or DOUBLE");
        Check.that(cosineDecaySteps >= 0, "cosineDecaySteps must be >= 0 (got " + cosineDecaySteps + ")");
    }

    /** A constant learning rate. */
    public TrainerConfig(Method method, OptimizerKind optimizer, double lr, double clipNorm, List<Double> emaRates,
                         long seed, DataType dtype) {
        this(method, optimizer, lr, clipNorm, emaRates, seed, dtype, 0);
    }

    public LearningRate learningRate() {
        return cosineDecaySteps == 0 ? LearningRate.constant(lr) : LearningRate.cosine(lr, cosineDecaySteps);
    }

    Optimizer newOptimizer(long size) {
        return optimizer == OptimizerKind.ADAM ? new Adam(size, dtype, learningRate()) : new RAdam(size, dtype, learningRate());
    }
}
