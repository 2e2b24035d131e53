package ai.onestep.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A simple image classifier for the small quality bars (the 8x8 digits): multinomial logistic regression on the
 * flattened pixels plus a bias, trained by full-batch gradient descent (step 0.5) with an L2 penalty of 1e-4.
 * Deterministic: no random initialisation. Used to score generated images ("confident" = top p >= 0.9).
 */
public final class LogisticClassifier {
    private final INDArray w; // [features + 1, classes]

    private LogisticClassifier(INDArray w) {
        this.w = w;
    }

    /** @param images [N, ...] in [-1, 1]; @param labels their classes in [0, classes) */
    public static LogisticClassifier train(INDArray images, int[] labels, int classes, int iterations) {
        int n = labels.length;
        INDArray x = features(images);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, labels[i], 1);
        }
        INDArray w = Nd4j.zeros(DataType.FLOAT, x.size(1), classes);
        for (int it = 0; it < iterations; it++) {
            INDArray p = Transforms.softmax(x.mmul(w), true);
            INDArray grad = x.transpose().mmul(p.subi(y)).divi(n).addi(w.mul(1e-4));
            w.subi(grad.muli(0.5));
        }
        return new LogisticClassifier(w);
    }

    private static INDArray features(INDArray images) {
        int n = (int) images.size(0);
        INDArray flat = images.castTo(DataType.FLOAT).reshape(n, images.length() / n);
        return Nd4j.hstack(flat, Nd4j.ones(DataType.FLOAT, n, 1));
    }

    public INDArray probabilities(INDArray images) {
        return Transforms.softmax(features(images).mmul(w), true);
    }

    public double accuracy(INDArray images, int[] labels) {
        INDArray p = probabilities(images);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += p.getRow(i).argMax().getInt(0) == labels[i] ? 1 : 0;
        }
        return ok / (double) labels.length;
    }

    /** Fraction of images whose top class has probability >= 0.9, and the histogram of those top classes. */
    public DigitScorer.Score score(INDArray images) {
        return DigitScorer.scoreProbabilities(probabilities(images));
    }
}
