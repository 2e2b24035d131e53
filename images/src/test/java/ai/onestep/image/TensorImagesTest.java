package ai.onestep.image;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorImagesTest {
    @Test
    void quantizeIsTheEightBitImageTheSamplesStandFor() {
        float[] raw = {-3f, -1f, -0.50001f, 0f, 0.0039f, 0.5f, 1f, 7.5f, Float.MAX_VALUE, -0.9961f, 0.25f, 0.99f};
        INDArray x = Nd4j.createFromArray(raw).reshape(3, 1, 2, 2);
        INDArray q = TensorImages.quantize(x);
        assertArrayEquals(new long[]{3, 1, 2, 2}, q.shape());
        float[] got = q.data().asFloat();
        float[] roundTrip = TensorImages.fromPixels(TensorImages.toPixels(x)).data().asFloat();
        for (int i = 0; i < raw.length; i++) {
            double level = (got[i] + 1) * 127.5;
            assertEquals(Math.rint(level), level, 1e-3, "not on the 8-bit grid: " + got[i]);
            assertEquals(Math.max(0, Math.min(255, Math.round((raw[i] + 1) * 127.5))), level, 1e-3, "value " + raw[i]);
            assertEquals(roundTrip[i], got[i], 1e-6, "differs from the PNG round trip at " + raw[i]);
        }
        assertEquals(-3f, x.getFloat(0), "the input is left alone");
    }
}
