package ai.onestep.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepTimesTest {
    @Test
    void medianSpreadAndCleanSteps() {
        StepTimes t = new StepTimes(List.of(1.0, 1.2, 1.0, 2.0), List.of(0.0, 0.3, 0.149, 0.0));
        assertEquals(1.1, t.median(), 1e-12);
        assertEquals(2.0 / 1.1, t.spread(), 1e-12);
        StepTimes clean = t.clean();
        assertEquals(List.of(1.0, 1.0, 2.0), clean.seconds());
        assertEquals(1.0, clean.median(), 1e-12);
        assertEquals(2.0, clean.spread(), 1e-12);
        assertEquals(0.449 / 4, t.meanForeignCores(), 1e-12);
    }

    @Test
    void theSpreadLooksAtTheLastHundredSteps() {
        List<Double> s = new ArrayList<>(Collections.nCopies(150, 1.0));
        s.set(10, 5.0); // outside the window
        s.set(120, 1.5);
        StepTimes t = new StepTimes(s, Collections.nCopies(150, 0.0));
        assertEquals(1.5, t.spread(), 1e-12);
        assertTrue(Double.isNaN(new StepTimes(List.of(), List.of()).spread()));
    }

    @Test
    void everyStepNeedsItsLoadReading() {
        assertThrows(IllegalArgumentException.class, () -> new StepTimes(List.of(1.0), List.of()));
    }

    @Test
    void othersLoadIsTheMachinesBusyTimeLessThisProcesss() {
        CpuSnapshot before = new CpuSnapshot(100.0, 10.0);
        assertEquals(0.5, new CpuSnapshot(103.0, 12.5).foreignCoresSince(before, 1.0), 1e-9);
        assertEquals(0.0, new CpuSnapshot(102.0, 12.5).foreignCoresSince(before, 1.0), 1e-9); // tick rounding
        assertEquals(0.0, new CpuSnapshot(0, 0).foreignCoresSince(before, 1.0)); // no /proc/stat
        CpuSnapshot now = CpuSnapshot.now();
        assertTrue(now.machineBusySeconds() > 0 && now.processSeconds() > 0, now.toString());
    }
}
