package ai.onestep.schedule;

import ai.onestep.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {
    @Test
    void karrasEighteenPointsMatchDesignTable() {
        double[] expected = {80, 57.586, 40.7856, 28.3746, 19.3525, 12.9101, 8.40094, 5.31519, 3.25682, 1.92334,
                1.08817, 0.585348, 0.296442, 0.139516, 0.0599473, 0.0229345, 0.00752802, 0.002};
        double[] t = Karras.standard().sigmas(18);
        assertEquals(18, t.length);
        for (int i = 0; i < 18; i++) {
            assertEquals(expected[i], t[i], expected[i] * 1e-5, "t_" + i);
        }
        double[] up = Karras.standard().ascending(18);
        assertEquals(0.002, up[0], 0);
        assertEquals(80, up[17], 0);
    }

    @Test
    void cmAdaptiveScheduleMatchesPaper() {
        CmAdaptiveSchedule s = new CmAdaptiveSchedule(2, 150, 0.9, 800_000);
        assertEquals(2, s.n(0));
        assertEquals(0.81, s.mu(0), 1e-12);
        assertEquals(38, s.n(50_000));
        assertEquals(0.99432102, s.mu(50_000), 5e-9);
        assertEquals(151, s.n(800_000));
    }

    @Test
    void ictCurriculumDoubles() {
        IctCurriculum s = new IctCurriculum(10, 1280, 400_000);
        assertEquals(50_000, s.stageLength());
        assertEquals(11, s.n(0));
        assertEquals(11, s.n(49_999));
        assertEquals(21, s.n(50_000));
        assertEquals(1281, s.n(350_000));
        assertEquals(1281, s.n(10_000_000));
        assertEquals(0.0, s.mu(123));
    }

    @Test
    void lognormalIndexFavoursMidNoiseAndSumsToOne() {
        double[] grid = Karras.standard().ascending(11);
        double[] p = LognormalIndex.standard().probabilities(grid);
        double sum = 0;
        int argmax = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            assertTrue(p[i] > 0);
            if (p[i] > p[argmax]) {
                argmax = i;
            }
        }
        assertEquals(1.0, sum, 1e-12);
        // Pm = -1.1: the mode of ln sigma sits near sigma 0.33; the most likely pair brackets that region
        assertTrue(grid[argmax] < 1.5 && grid[argmax + 1] > 0.1, "argmax pair " + grid[argmax] + ".." + grid[argmax + 1]);
        int[] counts = new int[p.length];
        Rng rng = Rng.of(1);
        for (int i = 0; i < 100_000; i++) {
            counts[LognormalIndex.standard().sample(grid, rng)]++;
        }
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], counts[i] / 100_000.0, 0.01, "empirical frequency of pair " + i);
        }
    }

    @Test
    void uniformIndexCoversAllPairs() {
        double[] grid = Karras.standard().ascending(5);
        boolean[] seen = new boolean[4];
        Rng rng = Rng.of(3);
        for (int i = 0; i < 1000; i++) {
            seen[new UniformIndex().sample(grid, rng)] = true;
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
    }

    @Test
    void invalidSchedulesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CmAdaptiveSchedule(2, 150, 1.5, 1000));
        assertTrue(e.getMessage().contains("mu0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new IctCurriculum(10, 5, 1000));
        assertTrue(e.getMessage().contains("s1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Karras.standard().sigmas(1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }

    @Test
    void lognormalIndexSamplesItsProbabilitiesExactlyAsALinearScanWould() {
        LognormalIndex li = LognormalIndex.standard();
        double[] grid = Karras.standard().sigmas(41);
        double[] ascending = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            ascending[i] = grid[grid.length - 1 - i];
        }
        double[] p = li.probabilities(ascending);
        ai.onestep.util.Rng a = ai.onestep.util.Rng.of(5);
        ai.onestep.util.Rng b = ai.onestep.util.Rng.of(5);
        int[] counts = new int[p.length];
        for (int draw = 0; draw < 20000; draw++) {
            double u = a.uniform();
            double acc = 0;
            int want = p.length - 1;
            for (int n = 0; n < p.length; n++) {
                acc += p[n];
                if (u < acc) {
                    want = n;
                    break;
                }
            }
            int got = li.sample(ascending.clone(), b); // a fresh array with the same grid hits the cache
            org.junit.jupiter.api.Assertions.assertEquals(want, got, "draw " + draw);
            counts[got]++;
        }
        int mode = 0;
        for (int n = 1; n < p.length; n++) {
            mode = p[n] > p[mode] ? n : mode;
        }
        org.junit.jupiter.api.Assertions.assertEquals(p[mode], counts[mode] / 20000.0, 0.02);
    }
}
