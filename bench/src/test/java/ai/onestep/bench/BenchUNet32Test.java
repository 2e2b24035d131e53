package ai.onestep.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchUNet32Test {
    @Test
    void hasTheAnchorsParameterCount() {
        assertEquals(1_306_371, BenchUNet32.build(64, true).params().size());
    }

    @Test
    void benchmarkProducesFigures() {
        Bench.Result r = Bench.train(2, 1, 2, 8);
        assertTrue(r.medianSeconds() > 0 && r.imagesPerSecond() > 0 && r.gflops() > 0, r.toString());
        assertTrue(r.toString().startsWith("RESULT train batch=2 median_s="), r.toString());
        // resident memory at the warm-up's end and after each tenth, all read from /proc on Linux
        assertEquals(ResidentTrace.READINGS, r.resident().bytes().size());
        assertTrue(r.resident().bytes().stream().allMatch(b -> b > 0), r.toString());
        assertTrue(r.toString().contains(" rss_mb_by_tenth=" + r.resident().megabytes() + " "), r.toString());
    }
}
