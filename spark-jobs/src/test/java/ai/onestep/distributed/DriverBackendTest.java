package ai.onestep.distributed;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A driver without a GPU runs on the CPU backend, also from the CUDA build, which carries both backends: ND4J prefers
 * CUDA and falls back where CUDA finds no device. Meaningful under {@code mvn -Pcuda -Dcuda} on a machine without a
 * GPU; the default build checks the CPU build's backend.
 */
class DriverBackendTest {
    @Test
    void aMachineWithoutGpuAveragesOnTheCpuBackend() {
        boolean gpu = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
        String backend = Nd4j.getBackend().getClass().getName();
        if (!gpu) {
            assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", backend);
        }
        assertEquals(9.0, Nd4j.ones(3, 3).sumNumber().doubleValue(), 0.0, "arrays work on " + backend);
    }
}
