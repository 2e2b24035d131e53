package ai.onestep.distributed;

import ai.onestep.data.stream.Position;

/**
 * What the driver broadcasts each round (DESIGN section 4): the parameters, the target (null when mu = 0 or for EDM),
 * the optimizer state, the global step k and each worker's data position. Vectors travel as chunked float arrays ({@link ChunkedFloats}).
 */
public final class RoundState {
    public long round;
    public long step;
    public int localSteps;
    public ChunkedFloats params;
    public ChunkedFloats target;
    public ChunkedFloats optimizer;
    public Position[] positions;

    public RoundState() {
        // for Kryo
    }

    public RoundState(long round, long step, int localSteps, ChunkedFloats params, ChunkedFloats target,
                      ChunkedFloats optimizer,
                      Position[] positions) {
        this.round = round;
        this.step = step;
        this.localSteps = localSteps;
        this.params = params;
        this.target = target;
        this.optimizer = optimizer;
        this.positions = positions;
    }
}
