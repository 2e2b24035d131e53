package ai.onestep.optim;

import ai.onestep.ema.Ema;
import ai.onestep.ema.EmaSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OptimizerTest {
    static INDArray vec(double... v) {
        return Nd4j.createFromArray(v);
    }

    @Test
    void adamFirstStepMovesByLearningRateTimesSign() {
        Adam adam = new Adam(3, DataType.DOUBLE, 0.1);
        INDArray p = vec(1, 2, 3);
        adam.step(p, vec(0.5, -2, 1e-3), 1);
        // m_hat = g, v_hat = g^2: update = lr g / (|g| + eps)
        assertArrayEquals(new double[]{1 - 0.1 * 0.5 / (0.5 + 1e-8), 2 + 0.1 * 2 / (2 + 1e-8), 3 - 0.1 * 1e-3 / (1e-3 + 1e-8)},
                p.toDoubleVector(), 1e-12);
        assertEquals(6, adam.state().length());
    }

    @Test
    void adamMatchesTheFormulaOverSeveralSteps() {
        Adam adam = new Adam(1, DataType.DOUBLE, 0.01);
        INDArray p = vec(1);
        double m = 0, v = 0, x = 1;
        double[] grads = {0.3, -0.1, 0.7, 0.2};
        for (int t = 1; t <= grads.length; t++) {
            adam.step(p, vec(grads[t - 1]), t);
            m = 0.9 * m + 0.1 * grads[t - 1];
            v = 0.999 * v + 0.001 * grads[t - 1] * grads[t - 1];
            x -= 0.01 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
            assertEquals(x, p.getDouble(0), 1e-12, "step " + t);
        }
    }

    @Test
    void radamUsesMomentumWhileVarianceIsIntractableThenRectifies() {
        RAdam radam = new RAdam(1, DataType.DOUBLE, 0.01);
        INDArray p = vec(0);
        radam.step(p, vec(2.0), 1); // rho_1 = 1 <= 5: p -= lr * m_hat = lr * g
        assertEquals(-0.02, p.getDouble(0), 1e-12);
        double m = 0.1 * 2.0;
        double v = 0.001 * 4.0;
        double x = -0.02;
        for (int t = 2; t <= 8; t++) {
            radam.step(p, vec(2.0), t);
            m = 0.9 * m + 0.1 * 2.0;
            v = 0.999 * v + 0.001 * 4.0;
            double rhoInf = 2 / 0.001 - 1;
            double b2t = Math.pow(0.999, t);
            double rho = rhoInf - 2 * t * b2t / (1 - b2t);
            double mHat = m / (1 - Math.pow(0.9, t));
            if (rho > 5) {
                double r = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                x -= 0.01 * r * mHat / (Math.sqrt(v / (1 - b2t)) + 1e-8);
            } else {
                x -= 0.01 * mHat;
            }
            assertEquals(x, p.getDouble(0), 1e-12, "step " + t);
        }
    }

    @Test
    void emaRatesCompoundOverLocalSteps() {
        INDArray avg = vec(0, 0);
        Ema.update(avg, vec(1, 2), 0.9);
        assertArrayEquals(new double[]{0.1, 0.2}, avg.toDoubleVector(), 1e-12);
        EmaSet set = new EmaSet(List.of(0.5, 0.99), vec(0, 0));
        set.update(vec(1, 1), 2); // rate^2: 0.25 and 0.9801
        assertArrayEquals(new double[]{0.75, 0.75}, set.get(0.5).toDoubleVector(), 1e-12);
        assertEquals(1 - 0.9801, set.get(0.99).getDouble(0), 1e-12);
    }
}
