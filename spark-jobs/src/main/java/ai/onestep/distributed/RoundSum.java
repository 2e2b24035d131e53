package ai.onestep.distributed;

import ai.onestep.data.stream.Position;

/**
 * The sum of the workers' results of one round, built by {@code treeAggregate}: summed parameters and optimizer
 * state, summed loss, counters, and each worker's new data position. A single worker's result is a sum of one.
 */
public final class RoundSum implements java.io.Serializable {
    public ChunkedFloats params;
    public ChunkedFloats optimizer;
    public double lossSum;
    public long steps;
    public int workers;
    public long nonFinite;
    public String firstProblem;
    public double maxComputeSeconds;
    public Position[] positions;

    public RoundSum() {
        // for Kryo and as the aggregate's zero
    }

    static RoundSum empty(int workers) {
        RoundSum s = new RoundSum();
        s.positions = new Position[workers];
        return s;
    }

    /** Adds o into this (in place) and returns this: the aggregate's seqOp and combOp. */
    RoundSum add(RoundSum o) {
        params = addInto(params, o.params);
        optimizer = addInto(optimizer, o.optimizer);
        lossSum += o.lossSum;
        steps += o.steps;
        workers += o.workers;
        nonFinite += o.nonFinite;
        if (firstProblem == null) {
            firstProblem = o.firstProblem;
        }
        maxComputeSeconds = Math.max(maxComputeSeconds, o.maxComputeSeconds);
        if (positions == null) {
            positions = o.positions;
        } else if (o.positions != null) {
            for (int i = 0; i < positions.length; i++) {
                if (o.positions[i] != null) {
                    positions[i] = o.positions[i];
                }
            }
        }
        return this;
    }

    private static ChunkedFloats addInto(ChunkedFloats a, ChunkedFloats b) {
        if (b == null) {
            return a;
        }
        return a == null ? b.copy() : a.addInPlace(b);
    }
}
