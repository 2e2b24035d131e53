package ai.onestep.evaluation;

import ai.onestep.ckpt.Npy;
import ai.onestep.files.AtomicWrite;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.eval.features.FeatureExtractor;
import ai.onestep.eval.features.Features;
import ai.onestep.eval.metrics.FeatureStats;
import ai.onestep.eval.metrics.FeatureSums;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real side of a comparison: statistics (and, when a metric needs them, pooled feature rows) of a reference set.
 * Read from OpenAI's reference batches ({@code .npz}: images in {@code arr_0}, Inception statistics in {@code mu},
 * {@code sigma}, {@code mu_s}, {@code sigma_s} when present) or computed from a shard set and cached in the same
 * layout (plus {@code pool}, the rows), so a second evaluation against the same data skips the features.
 *
 * @param pool     mean and covariance of the pooled features
 * @param spatial  of the spatial features, or null
 * @param poolRows pooled rows (precision/recall, KID), or null
 */
public record Reference(String source, long count, FeatureStats pool, FeatureStats spatial, double[][] poolRows) {
    static final int BATCH = 64;

    /**
     * @param uri   a shard set or an .npz
     * @param limit at most this many reference images
     * @param cache where computed statistics are kept (an .npz URI), or null
     * @param side  the model's image side; reference images of another size are refused
     */
    public static Reference load(String uri, FeatureExtractor fx, int dims, int limit, boolean needRows, String cache,
                                 int side, Configuration conf) throws IOException {
        if (cache != null && new Path(cache).getFileSystem(conf).exists(new Path(cache))) {
            Reference r = fromNpz(cache, Npy.readNpz(new ByteArrayInputStream(Extractors.read(cache))), dims, needRows);
            if (r != null) {
                return r;
            }
        }
        Reference r;
        if (uri.endsWith(".npz")) {
            Map<String, Npy.Array> npz = Npy.readNpz(new ByteArrayInputStream(Extractors.read(uri)));
            r = fromNpz(uri, npz, dims, needRows);
            if (r == null) {
                Npy.Array images = npz.get("arr_0");
                if (images == null || images.bytes() == null || images.shape().length != 4) {
                    throw new IllegalArgumentException(uri + ": a reference .npz needs arr_0 (uint8 N x H x W x C images)"
                            + " or statistics of these features");
                }
                r = compute(uri, sized(uri, nhwcToNchw(images, limit), side), fx);
            }
        } else {
            Batch b = ShardImages.read(uri, limit, conf);
            r = compute(uri, sized(uri, Nd4j.createFromArray(b.x()).reshape(b.shape()), side), fx);
        }
        if (cache != null) {
            AtomicWrite.write(cache, r.toNpz(), conf);
        }
        return r;
    }

    /** Reference images must be at the model's resolution, as the original evaluator's reference batches are. */
    public static void requireSide(String uri, long width, long height, int side) {
        if (width != side || height != side) {
            throw new IllegalArgumentException("reference " + uri + " holds " + width + "x" + height
                    + " images but the model generates " + side + "x" + side + "; use a reference at the model's resolution");
        }
    }

    private static INDArray sized(String uri, INDArray images, int side) {
        requireSide(uri, images.size(3), images.size(2), side);
        return images;
    }

    /** Statistics stored in an .npz, when they are of these features' dimension (and hold rows, when needed). */
    static Reference fromNpz(String source, Map<String, Npy.Array> npz, int dims, boolean needRows) {
        Npy.Array mu = npz.get("mu");
        Npy.Array sigma = npz.get("sigma");
        if (mu == null || sigma == null || mu.length() != dims) {
            return null;
        }
        double[][] rows = npz.containsKey("pool") ? matrix(npz.get("pool")) : null;
        if (needRows && rows == null) {
            return null;
        }
        Npy.Array count = npz.get("count");
        long n = count != null ? (long) count.asDoubles()[0] : rows != null ? rows.length : 2;
        FeatureStats p = new FeatureStats(mu.asDoubles(), square(sigma, dims), n);
        Npy.Array muS = npz.get("mu_s");
        FeatureStats s = muS != null && npz.containsKey("sigma_s")
                ? new FeatureStats(muS.asDoubles(), square(npz.get("sigma_s"), (int) muS.length()), n) : null;
        return new Reference(source, n, p, s, rows);
    }

    static Reference compute(String source, INDArray images, FeatureExtractor fx) {
        long n = images.size(0);
        FeatureSums pool = null;
        FeatureSums spatial = null;
        java.util.List<double[]> rows = new java.util.ArrayList<>();
        for (long from = 0; from < n; from += BATCH) {
            INDArray part = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, Math.min(n, from + BATCH)));
            Features f = fx.extract(part);
            if (pool == null) {
                pool = new FeatureSums(f.pool()[0].length);
                spatial = f.spatial() == null ? null : new FeatureSums(f.spatial()[0].length);
            }
            pool.add(f.pool());
            if (spatial != null) {
                spatial.add(f.spatial());
            }
            for (float[] r : f.pool()) {
                double[] d = new double[r.length];
                for (int j = 0; j < d.length; j++) {
                    d[j] = r[j];
                }
                rows.add(d);
            }
        }
        return new Reference(source, n, pool.stats(), spatial == null ? null : spatial.stats(), rows.toArray(double[][]::new));
    }

    byte[] toNpz() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            put(zip, "mu", new long[]{pool.mean().length}, pool.mean());
            put(zip, "sigma", new long[]{pool.mean().length, pool.mean().length}, flat(pool.covariance()));
            if (spatial != null) {
                put(zip, "mu_s", new long[]{spatial.mean().length}, spatial.mean());
                put(zip, "sigma_s", new long[]{spatial.mean().length, spatial.mean().length}, flat(spatial.covariance()));
            }
            put(zip, "count", new long[]{1}, new double[]{count});
            if (poolRows != null) {
                put(zip, "pool", new long[]{poolRows.length, poolRows[0].length}, flat(poolRows));
            }
        }
        return buf.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, long[] shape, double[] v) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.writeDoubles(zip, shape, v);
        zip.closeEntry();
    }

    private static double[] flat(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    private static double[][] square(Npy.Array a, int d) {
        return matrix(a, d, d);
    }

    private static double[][] matrix(Npy.Array a) {
        return matrix(a, (int) a.shape()[0], (int) (a.length() / a.shape()[0]));
    }

    private static double[][] matrix(Npy.Array a, int rows, int cols) {
        if (a.length() != (long) rows * cols) {
            throw new IllegalArgumentException("statistics of " + a.length() + " values, expected " + rows + " x " + cols);
        }
        double[] v = a.asDoubles();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(v, i * cols, m[i], 0, cols);
        }
        return m;
    }

    /** uint8 N x H x W x C -> float N x C x H x W in [-1, 1] (pixel / 127.5 - 1, as training reads images). */
    static INDArray nhwcToNchw(Npy.Array a, int limit) {
        long[] s = a.shape();
        int n = (int) Math.min(limit, s[0]);
        int h = (int) s[1];
        int w = (int) s[2];
        int c = (int) s[3];
        float[] x = new float[n * c * h * w];
        byte[] b = a.bytes();
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        x[((i * c + ch) * h + y) * w + xx] = (b[((i * h + y) * w + xx) * c + ch] & 0xff) / 127.5f - 1;
                    }
                }
            }
        }
        return Nd4j.createFromArray(x).reshape(n, c, h, w);
    }
}
