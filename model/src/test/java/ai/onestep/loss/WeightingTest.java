package ai.onestep.loss;

import ai.onestep.conf.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original code's weightings, at a pair (0.5, 2) with snr = 1/4 and sigma_data 0.5, and their spellings. */
class WeightingTest {
    @Test
    void valuesAtOnePair() {
        assertEquals(1.0, Weighting.UNIFORM.of(0.5, 2, 0.5));
        assertEquals(1 / 1.5, Weighting.ICT.of(0.5, 2, 0.5), 1e-15);
        assertEquals(0.25, Weighting.SNR.of(0.5, 2, 0.5), 1e-15);
        assertEquals(1.25, Weighting.SNR_PLUS_1.of(0.5, 2, 0.5), 1e-15);
        assertEquals(4.25, Weighting.KARRAS.of(0.5, 2, 0.5), 1e-15);
        assertEquals(1.0, Weighting.TRUNCATED_SNR.of(0.5, 2, 0.5), 1e-15);
        assertEquals(100.0, Weighting.TRUNCATED_SNR.of(0.05, 0.1, 0.5), 1e-9);
    }

    @Test
    void configurationsSpellThem() {
        for (String w : List.of("snr", "snr-plus-1", "karras", "truncated-snr")) {
            TrainConfig c = TrainConfig.parse("data.path = x", List.of("method.weighting=" + w, "method.distance=l2-32"));
            assertEquals(w, ai.onestep.util.Records.enumSpelling(c.methodSettings().weighting()));
        }
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                TrainConfig.parse("data.path = x", List.of("method.weighting=snr+2"))).getMessage();
        assertTrue(m.contains("truncated-snr"), m);
    }
}
