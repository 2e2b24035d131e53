package ai.onestep.digits;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A simple classifier of 8x8 digits: multinomial logistic regression on the 64 pixels plus a bias, trained by
 * full-batch gradient descent with a small L2 penalty. Used to score generated digits ("confident" = p >= 0.9).
 */
final class DigitClassifier {
    private final INDArray w; // [65, 10]

    private DigitClassifier(INDArray w) {
        this.w = w;
    }

    static DigitClassifier train(INDArray images, int[] labels, int iterations) {
        int n = labels.length;
        INDArray x = features(images);
        INDArray y = Nd4j.zeros(n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, labels[i], 1);
        }
        INDArray w = Nd4j.zeros(65, 10);
        for (int it = 0; it < iterations; it++) {
            INDArray p = Transforms.softmax(x.mmul(w), true);
            INDArray grad = x.transpose().mmul(p.subi(y)).divi(n).addi(w.mul(1e-4));
            w.subi(grad.muli(0.5));
        }
        return new DigitClassifier(w);
    }

    private static INDArray features(INDArray images) {
        int n = (int) images.size(0);
        return Nd4j.hstack(images.reshape(n, 64).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT), Nd4j.ones(n, 1));
    }

    INDArray probabilities(INDArray images) {
        return Transforms.softmax(features(images).mmul(w), true);
    }

    double accuracy(INDArray images, int[] labels) {
        INDArray p = probabilities(images);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += p.getRow(i).argMax().getInt(0) == labels[i] ? 1 : 0;
        }
        return ok / (double) labels.length;
    }

    /** Fraction of images whose top class has probability >= 0.9, and the histogram of those top classes. */
    ai.onestep.eval.DigitScorer.Score score(INDArray images) {
        return ai.onestep.eval.DigitScorer.scoreProbabilities(
                probabilities(images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)));
    }
}
