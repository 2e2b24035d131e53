package ai.onestep.distributed;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds the current task's thread to the GPU Spark assigned it ({@code spark.task.resource.gpu.amount=1}). The only
 * GPU-specific code of the trainer; a no-op on the CPU backend and when Spark assigned no GPU.
 */
final class GpuBinding {
    private GpuBinding() {
    }

    static void bindTaskGpu() {
        TaskContext tc = TaskContext.get();
        if (tc == null || !Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("cuda")) {
            return;
        }
        ResourceInformation gpu = tc.resourcesJMap().get("gpu");
        if (gpu != null && gpu.addresses().length > 0) {
            Nd4j.getAffinityManager().unsafeSetDevice(GpuDevices.index(gpu.addresses()[0], System.getenv("CUDA_VISIBLE_DEVICES")));
        }
    }
}
