package ai.onestep.eval.features;

import ai.onestep.eval.DigitScorer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Features from a small classifier OneStep trains itself on the real data (MNIST, Fashion-MNIST, 8x8 digits):
 * the hidden layer for FID / precision-recall / KID, its softmax for Inception Score and the confident fraction.
 * Usable offline, at the data's own resolution; numbers are comparable only between runs using the same classifier.
 */
public final class ClassifierFeatures implements FeatureExtractor {
    private final DigitScorer classifier;
    private final String name;

    public ClassifierFeatures(DigitScorer classifier, String name) {
        this.classifier = classifier;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Features extract(INDArray images) {
        INDArray h = classifier.hidden(images);
        return new Features(h.toFloatMatrix(), null, classifier.probabilitiesOfHidden(h).toFloatMatrix());
    }
}
