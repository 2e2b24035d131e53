package ai.onestep.distributed;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedFloatsTest {
    @Test
    void roundTripsThroughChunksOfEveryShape() {
        float[] values = new float[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 100;
        }
        INDArray v = Nd4j.createFromArray(values).reshape(7, 143);
        for (int chunk : new int[]{1, 10, 143, 1000, 1001, 5000}) {
            ChunkedFloats c = ChunkedFloats.copyOf(v, chunk);
            assertEquals(1001, c.length());
            assertEquals((1001 + chunk - 1) / chunk, c.chunks.length, "chunks of " + chunk);
            assertArrayEquals(v.data().asFloat(), c.toNd4j().toFloatVector(), "chunk " + chunk);
            assertArrayEquals(v.data().asFloat(), ChunkedFloats.copyOf(v.data().asFloat(), chunk).toNd4j().toFloatVector());
        }
    }

    @Test
    void addsChunkwiseInPlaceAndCopiesDeeply() {
        ChunkedFloats a = ChunkedFloats.copyOf(new float[]{1, 2, 3, 4, 5}, 2);
        ChunkedFloats b = ChunkedFloats.copyOf(new float[]{10, 20, 30, 40, 50}, 2);
        ChunkedFloats copy = a.copy();
        assertTrue(a.addInPlace(b) == a);
        assertArrayEquals(new float[]{11, 22, 33, 44, 55}, a.toNd4j().toFloatVector());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5}, copy.toNd4j().toFloatVector(), "a copy shares no chunk");
    }

    @Test
    void refusesMismatchedChunking() {
        ChunkedFloats a = ChunkedFloats.copyOf(new float[]{1, 2, 3, 4}, 2);
        ChunkedFloats b = ChunkedFloats.copyOf(new float[]{1, 2, 3, 4}, 3);
        assertThrows(IllegalArgumentException.class, () -> a.addInPlace(b));
        assertThrows(IllegalArgumentException.class, () -> new ChunkedFloats(new float[][]{{1}, {2, 3}}, 2));
    }
}
