package ai.onestep.data.stream;

import ai.onestep.image.Pixels;
import ai.onestep.files.HadoopConf;
import ai.onestep.data.shard.Row;
import ai.onestep.data.shard.ShardReader;
import ai.onestep.data.shard.ShardSet;
import ai.onestep.util.Check;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Streams one worker's share of a shard set as endless minibatches (epochs follow each other), deterministic in
 * (seed, worker, position) and resumable from any {@link Position}. A background thread decodes ahead into a bounded
 * buffer of {@code prefetch} batches.
 */
public final class MinibatchStream implements AutoCloseable {
    /** How to stream: worker w of W, batch size, horizontal flips, seed, read-ahead depth. */
    public record Options(int worker, int workers, int batch, boolean flip, long seed, int prefetch) {
        public Options {
            Check.that(workers >= 1, "workers must be >= 1 (got " + workers + ")");
            Check.that(worker >= 0 && worker < workers, "worker must be in 0.." + (workers - 1) + " (got " + worker + ")");
            Check.positive("batch", batch);
            Check.positive("prefetch", prefetch);
        }
    }

    private static final Batch END = new Batch(new float[0], 0, 0, 0, 0, new int[0], new String[0], null);

    private final ShardSet set;
    private final HadoopConf conf;
    private final Options opt;
    private final EpochPlan plan;
    private final BlockingQueue<Object> queue;
    private final Thread producer;
    private volatile boolean closed;
    private Position position;

    public MinibatchStream(ShardSet set, HadoopConf conf, Options opt, Position start) {
        Check.that(start.worker() == opt.worker(), "position belongs to worker " + start.worker() + ", not " + opt.worker());
        this.set = set;
        this.conf = conf;
        this.opt = opt;
        this.plan = new EpochPlan(set.manifest(), opt.worker(), opt.workers());
        Check.that(plan.size > 0, "worker " + opt.worker() + " of " + opt.workers() + " gets no images from "
                + set.dir() + " (" + set.manifest().count() + " images)");
        this.position = new Position(opt.worker(), start.epoch(), start.offset() % plan.size);
        this.queue = new ArrayBlockingQueue<>(opt.prefetch());
        this.producer = new Thread(this::produce, "minibatch-stream-" + opt.worker());
        producer.setDaemon(true);
        producer.start();
    }

    /** Images this worker sees per epoch. */
    public long epochSize() {
        return plan.size;
    }

    /** The position after the last batch returned by {@link #next}. */
    public Position position() {
        return position;
    }

    public Batch next() {
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a minibatch", e);
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        Batch b = (Batch) o;
        if (b == END) {
            throw new IllegalStateException("stream closed");
        }
        position = b.after();
        return b;
    }

    private void produce() {
        try {
            long epoch = position.epoch();
            long offset = position.offset();
            List<Row> pending = new ArrayList<>();
            List<long[]> offsets = new ArrayList<>(); // (epoch, offset) of each pending row
            while (!closed) {
                int[] order = plan.segmentOrder(opt.seed(), epoch, opt.worker());
                long seen = 0;
                for (int si = 0; si < order.length && !closed; si++) {
                    EpochPlan.Segment seg = plan.owned.get(order[si]);
                    if (seen + seg.size() <= offset) {
                        seen += seg.size();
                        continue; // resuming past this segment: never read it
                    }
                    List<Row> rows = readSegment(seg);
                    int[] perm = EpochPlan.rowOrder(opt.seed(), epoch, opt.worker(), order[si], rows.size());
                    for (int r = (int) Math.max(0, offset - seen); r < perm.length && !closed; r++) {
                        pending.add(rows.get(perm[r]));
                        offsets.add(new long[]{epoch, seen + r});
                        if (pending.size() == opt.batch()) {
                            long after = seen + r + 1;
                            Position p = after == plan.size ? new Position(opt.worker(), epoch + 1, 0)
                                    : new Position(opt.worker(), epoch, after);
                            queue.put(assemble(pending, offsets, p));
                            pending.clear();
                            offsets.clear();
                        }
                    }
                    seen += seg.size();
                }
                epoch++;
                offset = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            RuntimeException r = e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
            queue.clear();
            queue.offer(r);
        }
    }

    private List<Row> readSegment(EpochPlan.Segment seg) throws IOException {
        List<Row> rows = new ArrayList<>((int) seg.size());
        Path file = set.files().get(seg.shard());
        try (ShardReader r = new ShardReader(file, conf.get())) {
            for (long i = 0; i < seg.to(); i++) {
                Row row = r.next();
                if (row == null) {
                    throw new IOException(file + " holds fewer rows than its manifest says (" + i + " < " + seg.to() + ")");
                }
                if (i >= seg.from()) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private Batch assemble(List<Row> rows, List<long[]> offsets, Position after) {
        boolean[] flips = new boolean[rows.size()];
        for (int i = 0; i < flips.length; i++) {
            flips[i] = opt.flip() && EpochPlan.flip(opt.seed(), offsets.get(i)[0], opt.worker(), offsets.get(i)[1]);
        }
        return Batch.of(rows, flips, after);
    }

    @Override
    public void close() {
        closed = true;
        producer.interrupt();
        try {
            producer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
        queue.offer(END);
    }
}
