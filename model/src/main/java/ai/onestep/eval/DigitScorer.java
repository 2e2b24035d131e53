package ai.onestep.eval;

import ai.onestep.util.Check;
import ai.onestep.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * Scores generated digits the way the quality bars are stated: a classifier trained on the real digits (one hidden
 * ReLU layer, softmax, minibatch SGD with momentum) labels each sample; "confident" means its top class has
 * probability >= 0.9. Reports the confident fraction and the class histogram of the confident samples.
 */
public final class DigitScorer {
    private final INDArray w1;
    private final INDArray b1;
    private final INDArray w2;
    private final INDArray b2;

    private DigitScorer(INDArray w1, INDArray b1, INDArray w2, INDArray b2) {
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /** Confident fraction and class shares (of the confident samples). */
    public record Score(double confident, double[] classShare) {
        public double maxShare() {
            return Arrays.stream(classShare).max().orElse(0);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "confident %.1f%%, classes [", 100 * confident));
            for (int c = 0; c < classShare.length; c++) {
                s.append(String.format(java.util.Locale.ROOT, "%s%d:%.1f%%", c == 0 ? "" : " ", c, 100 * classShare[c]));
            }
            return s.append(']').toString();
        }
    }

    /** Trains on images [n, ...] in [-1, 1] with labels 0..classes-1. */
    public static DigitScorer train(INDArray images, int[] labels, int classes, int hidden, int epochs, Rng rng) {
        Check.that(images.size(0) == labels.length, "one label per image");
        int n = labels.length;
        INDArray x = flat(images);
        int d = (int) x.size(1);
        INDArray w1 = Nd4j.createFromArray(rng.gaussian(d * hidden)).reshape(d, hidden).muli(Math.sqrt(2.0 / d));
        INDArray b1 = Nd4j.zeros(DataType.FLOAT, 1, hidden);
        INDArray w2 = Nd4j.createFromArray(rng.gaussian(hidden * classes)).reshape(hidden, classes).muli(Math.sqrt(1.0 / hidden));
        INDArray b2 = Nd4j.zeros(DataType.FLOAT, 1, classes);
        INDArray[] p = {w1, b1, w2, b2};
        INDArray[] v = {w1.ulike(), b1.ulike(), w2.ulike(), b2.ulike()};
        int batch = 128;
        double lr = 0.05;
        for (int e = 0; e < epochs; e++) {
            int[] order = rng.permutation(n);
            for (int from = 0; from + batch <= n; from += batch) {
                int[] idx = Arrays.copyOfRange(order, from, from + batch);
                INDArray xb = x.getRows(idx);
                INDArray yb = Nd4j.zeros(DataType.FLOAT, batch, classes);
                for (int i = 0; i < batch; i++) {
                    yb.putScalar(i, labels[idx[i]], 1);
                }
                INDArray pre = xb.mmul(w1).addiRowVector(b1);
                INDArray h = Transforms.relu(pre, true);
                INDArray prob = Transforms.softmax(h.mmul(w2).addiRowVector(b2), true);
                INDArray dz = prob.subi(yb).divi(batch);
                INDArray gw2 = h.transpose().mmul(dz);
                INDArray gb2 = dz.sum(true, 0);
                INDArray dh = dz.mmul(w2.transpose()).muli(pre.gt(0).castTo(DataType.FLOAT)); // ReLU'
                INDArray gw1 = xb.transpose().mmul(dh);
                INDArray gb1 = dh.sum(true, 0);
                INDArray[] g = {gw1.addi(w1.mul(1e-4)), gb1, gw2.addi(w2.mul(1e-4)), gb2};
                for (int i = 0; i < 4; i++) {
                    v[i].muli(0.9).addi(g[i]);
                    p[i].subi(v[i].mul(lr));
                }
            }
        }
        return new DigitScorer(w1, b1, w2, b2);
    }

    private static INDArray flat(INDArray images) {
        return images.castTo(DataType.FLOAT).reshape(images.size(0), images.length() / images.size(0));
    }

    public INDArray probabilities(INDArray images) {
        return probabilitiesOfHidden(hidden(images));
    }

    /** The hidden layer's ReLU activations [n, hidden]: the classifier's feature space (MNIST-space FID). */
    public INDArray hidden(INDArray images) {
        Check.that(images.length() / images.size(0) == w1.size(0), "the classifier takes images of " + w1.size(0)
                + " values, got " + images.length() / images.size(0));
        return Transforms.relu(flat(images).mmul(w1).addiRowVector(b1), true);
    }

    /** Class probabilities from {@link #hidden} activations. */
    public INDArray probabilitiesOfHidden(INDArray h) {
        return Transforms.softmax(h.mmul(w2).addiRowVector(b2), true);
    }

    /** Values per input image (C x H x W). */
    public long inputSize() {
        return w1.size(0);
    }

    public int hiddenSize() {
        return (int) w1.size(1);
    }

    public int classes() {
        return (int) w2.size(1);
    }

    /** Writes the weights as an .npz (w1, b1, w2, b2). */
    public void write(java.io.OutputStream out) throws java.io.IOException {
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);
        String[] names = {"w1", "b1", "w2", "b2"};
        INDArray[] arrays = {w1, b1, w2, b2};
        for (int i = 0; i < 4; i++) {
            zip.putNextEntry(new java.util.zip.ZipEntry(names[i] + ".npy"));
            ai.onestep.ckpt.Npy.writeFloats(zip, arrays[i].shape(), arrays[i].castTo(DataType.FLOAT).dup('c').data().asFloat());
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Reads what {@link #write} wrote. */
    public static DigitScorer read(java.io.InputStream in) throws java.io.IOException {
        java.util.Map<String, ai.onestep.ckpt.Npy.Array> a = ai.onestep.ckpt.Npy.readNpz(in);
        INDArray[] p = new INDArray[4];
        String[] names = {"w1", "b1", "w2", "b2"};
        for (int i = 0; i < 4; i++) {
            ai.onestep.ckpt.Npy.Array x = a.get(names[i]);
            if (x == null || x.floats() == null || x.shape().length != 2) {
                throw new java.io.IOException("not a OneStep classifier (.npz with float32 w1, b1, w2, b2): " + names[i]);
            }
            p[i] = Nd4j.createFromArray(x.floats()).reshape(x.shape());
        }
        return new DigitScorer(p[0], p[1], p[2], p[3]);
    }

    public double accuracy(INDArray images, int[] labels) {
        INDArray am = probabilities(images).argMax(1);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += am.getInt(i) == labels[i] ? 1 : 0;
        }
        return ok / (double) labels.length;
    }

    public Score score(INDArray images) {
        return scoreProbabilities(probabilities(images));
    }

    /** The fraction of rows whose top class is {@code labels[i]} with probability >= 0.9 (conditional samples). */
    public static double confidentAs(INDArray p, int[] labels) {
        Check.that(p.size(0) == labels.length, "one label per row");
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += confidentClass(p.getRow(i)) == labels[i] ? 1 : 0;
        }
        return hits / (double) labels.length;
    }

    /** The row's top class when its probability is >= 0.9 ("confident"), else -1. */
    private static int confidentClass(INDArray row) {
        int c = row.argMax().getInt(0);
        return row.getDouble(c) >= 0.9 ? c : -1;
    }

    /** The score of any classifier's class probabilities [n, classes]. */
    public static Score scoreProbabilities(INDArray p) {
        int classes = (int) p.size(1);
        int n = (int) p.size(0);
        int confident = 0;
        double[] share = new double[classes];
        for (int i = 0; i < n; i++) {
            int c = confidentClass(p.getRow(i));
            if (c >= 0) {
                confident++;
                share[c]++;
            }
        }
        for (int c = 0; c < classes; c++) {
            share[c] = confident == 0 ? 0 : share[c] / confident;
        }
        return new Score(confident / (double) n, share);
    }
}
