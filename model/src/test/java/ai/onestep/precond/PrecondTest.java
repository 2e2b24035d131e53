package ai.onestep.precond;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrecondTest {
    @Test
    void consistencyScalingsMatchDesignTable() {
        ConsistencyPrecond p = ConsistencyPrecond.standard();
        Precond.Scalings s1 = p.at(1);
        assertEquals(0.200641410, s1.cSkip(), 1e-9);
        assertEquals(0.446319168, s1.cOut(), 1e-9);
        assertEquals(0.894427191, s1.cIn(), 1e-9);
        Precond.Scalings s10 = p.at(10);
        assertEquals(0.002494761, s10.cSkip(), 1e-9);
        assertEquals(0.499276294, s10.cOut(), 1e-9);
        assertEquals(0.099875234, s10.cIn(), 1e-9);
        Precond.Scalings s0 = p.at(0.002);
        assertEquals(1.0, s0.cSkip(), 0.0);
        assertEquals(0.0, s0.cOut(), 0.0);
    }

    @Test
    void edmScalings() {
        EdmPrecond p = EdmPrecond.standard();
        Precond.Scalings s = p.at(1);
        assertEquals(0.25 / 1.25, s.cSkip(), 1e-12);
        assertEquals(0.5 / Math.sqrt(1.25), s.cOut(), 1e-12);
        assertEquals(1 / Math.sqrt(1.25), s.cIn(), 1e-12);
        assertEquals(0.0, s.cNoise(), 0);
        Precond.Scalings s2 = p.at(0.002);
        assertEquals(0.25 / (0.002 * 0.002 + 0.25), s2.cSkip(), 1e-12);
        assertEquals(Math.log(0.002) / 4, s2.cNoise(), 1e-12);
        Precond.Scalings s3 = p.at(10);
        assertEquals(0.25 / 100.25, s3.cSkip(), 1e-12);
        assertEquals(5 / Math.sqrt(100.25), s3.cOut(), 1e-12);
    }
}
