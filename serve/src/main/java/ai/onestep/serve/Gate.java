package ai.onestep.serve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most one running request per key (a checkpoint) and a bounded number waiting behind it; beyond that the request
 * is refused with 429 at once rather than piling up threads and memory.
 */
final class Gate {
    /** Held while a request runs; closing it lets the next waiting one in. */
    interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    private record Lane(Semaphore running, AtomicInteger admitted) {
    }

    private final int queue;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    Gate(int queue) {
        this.queue = queue;
    }

    Ticket enter(String key) throws InterruptedException {
        Lane lane = lanes.computeIfAbsent(key, k -> new Lane(new Semaphore(1, true), new AtomicInteger()));
        if (lane.admitted().incrementAndGet() > 1 + queue) {
            lane.admitted().decrementAndGet();
            throw new ApiException(429, key + " is busy (" + (1 + queue) + " requests running or waiting); try again shortly");
        }
        try {
            lane.running().acquire();
        } catch (InterruptedException e) {
            lane.admitted().decrementAndGet();
            throw e;
        }
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                lane.running().release();
                lane.admitted().decrementAndGet();
            }
        };
    }
}
