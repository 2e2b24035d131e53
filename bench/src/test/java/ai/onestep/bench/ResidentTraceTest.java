package ai.onestep.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResidentTraceTest {
    private static ResidentTrace megabytes(long... mb) {
        List<Long> bytes = new ArrayList<>();
        for (long m : mb) {
            bytes.add(m << 20);
        }
        return new ResidentTrace(bytes);
    }

    @Test
    void settlingShowsBeforeTheFirstTenthAndALeakInTheSecondHalf() {
        ResidentTrace settles = megabytes(880, 920, 922, 922, 922, 924, 924, 924, 924, 924, 924);
        assertEquals(924.0 / 880 - 1, settles.growthFromWarmup(), 1e-12);
        assertEquals(924.0 / 920 - 1, settles.growthAfterFirstTenth(), 1e-12);
        assertEquals(0, settles.growthOverSecondHalf(), 1e-12);
        ResidentTrace leaks = megabytes(100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200);
        assertEquals(200.0 / 150 - 1, leaks.growthOverSecondHalf(), 1e-12);
        assertEquals(924L << 20, settles.end());
        assertEquals("880,920,922,922,922,924,924,924,924,924,924", settles.megabytes());
    }

    @Test
    void readingsFallAtTheWarmupsEndAndEveryTenthEvenForFewSteps() {
        assertEquals(3, ResidentTrace.readingBefore(0, 3, 300));
        assertEquals(33, ResidentTrace.readingBefore(1, 3, 300));
        assertEquals(153, ResidentTrace.readingBefore(5, 3, 300));
        assertEquals(303, ResidentTrace.readingBefore(10, 3, 300));
        // with fewer than ten steps several readings share a step
        assertEquals(1, ResidentTrace.readingBefore(1, 1, 2));
        assertEquals(2, ResidentTrace.readingBefore(5, 1, 2));
    }

    @Test
    void refusesAnythingButElevenReadings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> megabytes(1, 2, 3));
        assertEquals("a resident trace has 11 readings, got 3", e.getMessage());
    }

    @Test
    void unavailableReadingsGiveNoGrowth() {
        assertEquals(0, megabytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).growthFromWarmup());
    }
}
