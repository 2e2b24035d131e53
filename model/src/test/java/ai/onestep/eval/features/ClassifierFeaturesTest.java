package ai.onestep.eval.features;

import ai.onestep.eval.DigitScorer;
import ai.onestep.eval.metrics.FeatureStats;
import ai.onestep.eval.metrics.FeatureSums;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The classifier extractor (saved and read back unchanged) and the mergeable sums FID is aggregated with. */
class ClassifierFeaturesTest {
    @Test
    void classifierRoundTripsAndGivesHiddenFeaturesAndProbabilities() throws Exception {
        INDArray x = Tensors.gaussian(Rng.of(1), DataType.FLOAT, 64, 1, 4, 4);
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = x.getDouble(i, 0, 0, 0) > 0 ? 1 : 0;
        }
        DigitScorer c = DigitScorer.train(x, labels, 2, 16, 3, Rng.of(2));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        c.write(buf);
        DigitScorer back = DigitScorer.read(new ByteArrayInputStream(buf.toByteArray()));
        Features a = new ClassifierFeatures(c, "a").extract(x);
        Features b = new ClassifierFeatures(back, "b").extract(x);
        assertEquals(16, a.pool()[0].length);
        assertEquals(2, a.probs()[0].length);
        for (int i = 0; i < 64; i++) {
            assertArrayEquals(a.pool()[i], b.pool()[i]);
            assertArrayEquals(a.probs()[i], b.probs()[i]);
            assertEquals(1.0, a.probs()[i][0] + a.probs()[i][1], 1e-5);
        }
    }

    @Test
    void mergedSumsGiveTheStatisticsOfAllFeatures() {
        Rng rng = Rng.of(4);
        float[][] f = new float[50][];
        double[][] d = new double[50][];
        for (int i = 0; i < 50; i++) {
            f[i] = rng.gaussian(6);
            f[i][2] += 3; // a non-zero mean
            d[i] = new double[6];
            for (int j = 0; j < 6; j++) {
                d[i][j] = f[i][j];
            }
        }
        FeatureStats direct = FeatureStats.of(d);
        FeatureStats merged = new FeatureSums(6).add(Arrays.copyOfRange(f, 0, 17))
                .merge(new FeatureSums(6).add(Arrays.copyOfRange(f, 17, 50))).stats();
        assertEquals(50, merged.count());
        for (int a = 0; a < 6; a++) {
            assertEquals(direct.mean()[a], merged.mean()[a], 1e-9);
            for (int b = 0; b < 6; b++) {
                assertEquals(direct.covariance()[a][b], merged.covariance()[a][b], 1e-9);
            }
        }
    }
}
