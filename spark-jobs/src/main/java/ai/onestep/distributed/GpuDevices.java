package ai.onestep.distributed;

import java.util.List;

/**
 * The CUDA device index, as this process numbers its GPUs, of a GPU address Spark assigned a task. A process sees
 * the GPUs listed in {@code CUDA_VISIBLE_DEVICES} renumbered 0, 1, ... in that order, while discovery scripts report
 * what the node calls them (an ordinal such as "3" or a UUID such as "GPU-5f3c...").
 */
final class GpuDevices {
    private GpuDevices() {
    }

    /**
     * @param address            what Spark assigned (an entry of the discovery script's "addresses")
     * @param cudaVisibleDevices the process's CUDA_VISIBLE_DEVICES, or null when unset
     */
    static int index(String address, String cudaVisibleDevices) {
        String a = address.trim();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = List.of(cudaVisibleDevices.trim().split("\\s*,\\s*"));
            int at = visible.indexOf(a);
            if (at >= 0) {
                return at;
            }
            Integer ordinal = ordinal(a);
            if (ordinal != null && ordinal < visible.size()) {
                return ordinal; // already numbered as this process sees its GPUs (e.g. nvidia-smi inside a container)
            }
            throw new IllegalStateException("GPU address " + a + " is not among CUDA_VISIBLE_DEVICES="
                    + cudaVisibleDevices + " of this executor");
        }
        Integer ordinal = ordinal(a);
        if (ordinal == null) {
            throw new IllegalStateException("GPU address " + a + " is not a device ordinal, and CUDA_VISIBLE_DEVICES is "
                    + "not set to map it: let the discovery script report ordinals, or set CUDA_VISIBLE_DEVICES");
        }
        return ordinal;
    }

    private static Integer ordinal(String s) {
        return s.matches("\\d{1,4}") ? Integer.valueOf(s) : null;
    }
}
