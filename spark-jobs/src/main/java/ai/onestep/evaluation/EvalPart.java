package ai.onestep.evaluation;

import ai.onestep.eval.features.Features;
import ai.onestep.eval.metrics.FeatureSums;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One partition's share of an evaluation, mergeable: FID/sFID sums always, and the rows that precision/recall, KID
 * (pooled features) and Inception Score (probabilities) need, only when asked for. Chunks keep their first image
 * index so the merged rows come out in sample order whatever the partitioning.
 */
public final class EvalPart implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows of one slice of the sample stream. */
    public static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        long first;
        float[][] pool;
        float[][] probs;

        Chunk() {
        }

        Chunk(long first, float[][] pool, float[][] probs) {
            this.first = first;
            this.pool = pool;
            this.probs = probs;
        }
    }

    FeatureSums pool;
    FeatureSums spatial;
    ArrayList<Chunk> chunks = new ArrayList<>();
    double seconds;

    EvalPart() {
    }

    /** Adds one slice's features, keeping the rows named. */
    EvalPart add(long first, Features f, boolean keepPool, boolean keepProbs) {
        if (pool == null) {
            pool = new FeatureSums(f.pool()[0].length);
            if (f.spatial() != null) {
                spatial = new FeatureSums(f.spatial()[0].length);
            }
        }
        pool.add(f.pool());
        if (spatial != null && f.spatial() != null) {
            spatial.add(f.spatial());
        }
        if (keepPool || (keepProbs && f.probs() != null)) {
            chunks.add(new Chunk(first, keepPool ? f.pool() : null, keepProbs ? f.probs() : null));
        }
        return this;
    }

    EvalPart merge(EvalPart o) {
        if (o.pool != null) {
            pool = pool == null ? o.pool : pool.merge(o.pool);
        }
        if (o.spatial != null) {
            spatial = spatial == null ? o.spatial : spatial.merge(o.spatial);
        }
        chunks.addAll(o.chunks);
        seconds += o.seconds;
        return this;
    }

    /** Dimension of the pooled features. */
    public int dims() {
        return pool.dims();
    }

    long count() {
        return pool == null ? 0 : pool.count();
    }

    /** Pooled rows in sample order, or null when they were not kept. */
    double[][] poolRows() {
        return rows(true);
    }

    double[][] probRows() {
        return rows(false);
    }

    private double[][] rows(boolean pooled) {
        List<Chunk> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparingLong(c -> c.first));
        List<double[]> out = new ArrayList<>();
        for (Chunk c : sorted) {
            float[][] r = pooled ? c.pool : c.probs;
            if (r == null) {
                return null;
            }
            for (float[] row : r) {
                double[] d = new double[row.length];
                for (int j = 0; j < d.length; j++) {
                    d[j] = row[j];
                }
                out.add(d);
            }
        }
        return out.isEmpty() ? null : out.toArray(double[][]::new);
    }
}
