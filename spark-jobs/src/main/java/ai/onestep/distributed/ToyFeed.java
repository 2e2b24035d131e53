package ai.onestep.distributed;

import ai.onestep.data.stream.Position;
import ai.onestep.toy.Ring2D;
import ai.onestep.util.Rng;

/** The 2-D ring, generated: batch i of worker w is a pure function of (seed, w, i); the position counts batches. */
final class ToyFeed implements DataFeed {
    private final long seed;
    private final int worker;
    private final int batch;
    private long drawn;

    ToyFeed(long seed, int worker, int batch, Position start) {
        this.seed = seed;
        this.worker = worker;
        this.batch = batch;
        this.drawn = start.offset();
    }

    @Override
    public Minibatch next() {
        Minibatch m = new Minibatch(Ring2D.sample(batch, Rng.derive(seed, 0x7032_4444L, worker, drawn)), null);
        drawn++;
        return m;
    }

    @Override
    public Position position() {
        return new Position(worker, 0, drawn);
    }

    @Override
    public void close() {
    }
}
