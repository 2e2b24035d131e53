package ai.onestep.distributed;

import ai.onestep.files.HadoopConf;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.MinibatchStream;
import ai.onestep.data.stream.Position;
import org.nd4j.linalg.factory.Nd4j;

/** Minibatches from prepared shards through the data-prep reader; labels only when the set has classes. */
final class ShardFeed implements DataFeed {
    private final MinibatchStream stream;
    private final boolean labelled;
    private Position position;

    ShardFeed(ShardSet set, HadoopConf conf, MinibatchStream.Options options, Position start) {
        this.stream = new MinibatchStream(set, conf, options, start);
        this.labelled = !set.manifest().classes().isEmpty();
        this.position = start;
    }

    @Override
    public Minibatch next() {
        Batch b = stream.next();
        position = b.after();
        return new Minibatch(Nd4j.create(b.x(), b.shape(), 'c'), labelled ? b.labels() : null);
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public void close() {
        stream.close();
    }
}
