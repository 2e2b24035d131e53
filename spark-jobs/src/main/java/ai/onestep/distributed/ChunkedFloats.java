package ai.onestep.distributed;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A flat float vector (parameters, target, optimizer state) held as chunks of at most {@code chunkLength} floats, so
 * that no single Java array or serialized value grows with the model: a 300M-parameter network's Adam state is 2.4 GB,
 * past both Java's array limit and Kryo's buffer. Every chunk but the last has exactly {@code chunkLength} floats.
 * Chunks are shared, not copied, when a vector is wrapped or split into its parts.
 */
public final class ChunkedFloats implements java.io.Serializable {
    public float[][] chunks;
    public int chunkLength;

    public ChunkedFloats() {
        // for Kryo
    }

    /** Wraps chunks (not copied); every chunk but the last must hold {@code chunkLength} floats. */
    public ChunkedFloats(float[][] chunks, int chunkLength) {
        if (chunkLength < 1) {
            throw new IllegalArgumentException("chunk length must be >= 1, got " + chunkLength);
        }
        for (int i = 0; i + 1 < chunks.length; i++) {
            if (chunks[i].length != chunkLength) {
                throw new IllegalArgumentException("chunk " + i + " holds " + chunks[i].length + " floats, not "
                        + chunkLength);
            }
        }
        this.chunks = chunks;
        this.chunkLength = chunkLength;
    }

    /** The vector {@code v} copied into chunks. */
    public static ChunkedFloats copyOf(float[] v, int chunkLength) {
        float[][] c = new float[Math.max(1, (v.length + chunkLength - 1) / chunkLength)][];
        for (int i = 0; i < c.length; i++) {
            int from = i * chunkLength;
            c[i] = java.util.Arrays.copyOfRange(v, from, Math.min(v.length, from + chunkLength));
        }
        return new ChunkedFloats(c, chunkLength);
    }

    /** The elements of an array (read in row-major order) copied into chunks, one chunk of heap at a time. */
    public static ChunkedFloats copyOf(INDArray a, int chunkLength) {
        INDArray flat = a.reshape(a.length());
        long n = flat.length();
        float[][] c = new float[(int) Math.max(1, (n + chunkLength - 1) / chunkLength)][];
        for (int i = 0; i < c.length; i++) {
            long from = (long) i * chunkLength;
            long to = Math.min(n, from + chunkLength);
            c[i] = to == from ? new float[0] : flat.get(NDArrayIndex.interval(from, to)).toFloatVector();
        }
        return new ChunkedFloats(c, chunkLength);
    }

    public long length() {
        long n = 0;
        for (float[] c : chunks) {
            n += c.length;
        }
        return n;
    }

    /**
     * A new native vector of {@link #length()} floats holding these values, built chunk by chunk (no heap copy of the
     * whole). The caller owns it: close it when done, so large models do not wait for the garbage collector.
     */
    public INDArray toNd4j() {
        if (chunks.length == 1) {
            return Nd4j.createFromArray(chunks[0]);
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, length());
        long at = 0;
        for (float[] c : chunks) {
            if (c.length > 0) {
                try (INDArray part = Nd4j.createFromArray(c)) {
                    out.get(NDArrayIndex.interval(at, at + c.length)).assign(part);
                }
            }
            at += c.length;
        }
        return out;
    }

    /** Adds {@code o} (same chunking) into this vector in place; returns this. */
    public ChunkedFloats addInPlace(ChunkedFloats o) {
        if (o.chunks.length != chunks.length || o.chunkLength != chunkLength) {
            throw new IllegalArgumentException("cannot add vectors chunked differently: " + chunks.length + " x "
                    + chunkLength + " vs " + o.chunks.length + " x " + o.chunkLength);
        }
        for (int i = 0; i < chunks.length; i++) {
            float[] a = chunks[i];
            float[] b = o.chunks[i];
            if (a.length != b.length) {
                throw new IllegalArgumentException("chunk " + i + " lengths differ: " + a.length + " vs " + b.length);
            }
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        }
        return this;
    }

    /** A deep copy (the aggregate's zero must not alias a worker's result). */
    public ChunkedFloats copy() {
        float[][] c = new float[chunks.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = chunks[i].clone();
        }
        return new ChunkedFloats(c, chunkLength);
    }
}
