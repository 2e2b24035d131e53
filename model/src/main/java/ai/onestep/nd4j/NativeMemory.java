package ai.onestep.nd4j;

import org.bytedeco.javacpp.Pointer;

/**
 * Returns native memory between training steps. ND4J frees an array's off-heap buffer only once the Java garbage
 * collector finds its owner unreachable, and a SameDiff step leaves its activations and gradients behind as such
 * arrays; the Java heap stays small, so the collector rarely runs, resident memory climbs to JavaCPP's cap and steps
 * stall whenever it is hit. Collecting after every step keeps resident memory flat and lets glibc hand the freed pages
 * straight back (docs/performance.md). A collection costs tens of milliseconds, so it runs only once the time since
 * the previous one is at least ten times what that one cost: every step for real networks, every dozen or so steps
 * for tiny ones. (Triggers on native byte counts do not work: JavaCPP's {@code Pointer.totalBytes()} does not see
 * ND4J's buffers, and resident size stays high after a collection, as glibc keeps freed pages for reuse.)
 * <p>One policy per process (collections are process-wide): training steps and forward passes (sampling, target
 * passes) all report here, from any thread.
 */
final class NativeMemory {
    private static final double RATIO = 10;
    private static long lastEnd = System.nanoTime();
    private static long lastCost;
    private static long collections;

    private NativeMemory() {
    }

    /** Call after each training step or forward pass. */
    static synchronized void afterStep() {
        long now = System.nanoTime();
        if (now - lastEnd >= RATIO * lastCost) {
            System.gc();
            Pointer.deallocateReferences();
            long end = System.nanoTime();
            lastCost = end - now;
            lastEnd = end;
            collections++;
        }
    }

    /** How many collections have run. */
    static synchronized long collections() {
        return collections;
    }
}
