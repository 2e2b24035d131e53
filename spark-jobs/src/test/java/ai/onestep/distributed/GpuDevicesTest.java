package ai.onestep.distributed;

import ai.onestep.testing.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conf/spark/getGpusResources.sh run with made-up GPUs (a stand-in nvidia-smi, or CUDA_VISIBLE_DEVICES as YARN sets
 * it), and every address it reports mapped to the device index the executor process sees.
 */
class GpuDevicesTest {
    static final Path SCRIPT = Presets.dir().resolve("spark/getGpusResources.sh");

    @TempDir
    Path tmp;

    @Test
    void isolatedOrdinalsMapToTheirPositionInCudaVisibleDevices() throws Exception {
        List<String> addresses = discover("3,5", null);
        assertEquals(List.of("3", "5"), addresses);
        assertEquals(0, GpuDevices.index("3", "3,5"));
        assertEquals(1, GpuDevices.index("5", "3,5"));
    }

    @Test
    void uuidsMapToTheirPosition() throws Exception {
        String visible = "GPU-5f3c0d2a-aaaa-bbbb-cccc-000000000001,GPU-77e1ab90-aaaa-bbbb-cccc-000000000002";
        List<String> addresses = discover(visible, null);
        assertEquals(2, addresses.size());
        assertEquals(0, GpuDevices.index(addresses.get(0), visible));
        assertEquals(1, GpuDevices.index(addresses.get(1), visible));
    }

    @Test
    void withoutIsolationNvidiaSmiIndicesAreTheOrdinals() throws Exception {
        List<String> addresses = discover(null, "0\n1\n2\n3\n");
        assertEquals(List.of("0", "1", "2", "3"), addresses);
        for (String a : addresses) {
            assertEquals(Integer.parseInt(a), GpuDevices.index(a, null));
        }
    }

    @Test
    void noGpuGivesAnEmptyList() throws Exception {
        assertEquals(List.of(), discover(null, null));
    }

    @Test
    void anAddressThisProcessCannotSeeIsRefusedWithOneLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GpuDevices.index("7", "3,5"));
        assertTrue(e.getMessage().contains("not among CUDA_VISIBLE_DEVICES=3,5"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> GpuDevices.index("GPU-abc", null));
        assertTrue(e.getMessage().contains("not a device ordinal"), e.getMessage());
        assertEquals(1, GpuDevices.index("1", "6,7"), "an ordinal already numbered as the process sees it");
    }

    /** Runs the discovery script; nvidiaSmi is what a stand-in nvidia-smi prints (null: no nvidia-smi on PATH). */
    private List<String> discover(String cudaVisibleDevices, String nvidiaSmi) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin" + System.nanoTime()));
        if (nvidiaSmi != null) {
            Path smi = bin.resolve("nvidia-smi");
            Files.writeString(smi, "#!/bin/sh\nprintf '" + nvidiaSmi.replace("\n", "\\n") + "'\n");
            Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        if (cudaVisibleDevices != null) {
            pb.environment().put("CUDA_VISIBLE_DEVICES", cudaVisibleDevices);
        }
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        Matcher m = Pattern.compile("^\\{\"name\": \"gpu\", \"addresses\": \\[(.*)]}$").matcher(out);
        assertTrue(m.matches(), "not Spark's ResourceInformation JSON: " + out);
        List<String> addresses = new ArrayList<>();
        Matcher each = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (each.find()) {
            addresses.add(each.group(1));
        }
        return addresses;
    }
}
