package ai.onestep.data.stream;

import ai.onestep.data.shard.Manifest;
import ai.onestep.util.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Which rows a worker reads in an epoch, and in what order. Worker w of W owns the global rows
 * [w*n/W, (w+1)*n/W) (global order = shards in manifest order), so every image goes to exactly one worker per epoch.
 * Its rows fall into segments (one per shard it overlaps); each epoch visits the segments in a seeded random order
 * and each segment's rows in a seeded random permutation, so the order is a pure function of (seed, epoch, worker).
 */
final class EpochPlan {
    /** Rows [from, to) of shard {@code shard}. */
    record Segment(int shard, long from, long to) {
        long size() {
            return to - from;
        }
    }

    final List<Segment> owned = new ArrayList<>();
    final long size;

    EpochPlan(Manifest m, int worker, int workers) {
        long n = m.count();
        long lo = n * worker / workers;
        long hi = n * (worker + 1) / workers;
        long base = 0;
        for (int s = 0; s < m.shards().size(); s++) {
            long rows = m.shards().get(s).rows();
            long a = Math.max(lo, base);
            long b = Math.min(hi, base + rows);
            if (a < b) {
                owned.add(new Segment(s, a - base, b - base));
            }
            base += rows;
        }
        this.size = hi - lo;
    }

    /** Segment visiting order for an epoch. */
    int[] segmentOrder(long seed, long epoch, int worker) {
        return Rng.derive(seed, 0x5345_4721L, epoch, worker).permutation(owned.size());
    }

    /** Row order inside a segment for an epoch. */
    static int[] rowOrder(long seed, long epoch, int worker, int segment, int size) {
        return Rng.derive(seed, 0x524f_5753L, epoch, worker, segment).permutation(size);
    }

    /** Whether the image at this place of the epoch is mirrored (when flipping is on). */
    static boolean flip(long seed, long epoch, int worker, long offset) {
        return Rng.derive(seed, 0x464c_4950L, epoch, worker, offset).uniform() < 0.5;
    }
}
