package ai.onestep.distributed;

import ai.onestep.data.stream.Position;

/**
 * What the driver broadcasts each round (DESIGN section 4): the parameters, the target (null when mu = 0 or for EDM),
 * the optimizer state, the global step k and each worker's data position. Travels with Kryo as flat float arrays.
 */
public final class RoundState {
    public long round;
    public long step;
    public int localSteps;
    public float[] params;
    public float[] target;
    public float[] optimizer;
    public Position[] positions;

    public RoundState() {
        // for Kryo
    }

    public RoundState(long round, long step, int localSteps, float[] params, float[] target, float[] optimizer,
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
