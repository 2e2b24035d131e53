package ai.onestep.digits;

import ai.onestep.edit.Editor;
import ai.onestep.edit.Inpaint;
import ai.onestep.eval.LogisticClassifier;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.UNet;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.UNetConfig;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.train.Method;
import ai.onestep.train.Trainer;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consistency training learns real images: a small UNet trained from scratch by (improved) consistency training on
 * the 8x8 digits produces one-step samples that a classifier trained on the real digits labels confidently
 * (p >= 0.9) at least 40% of the time, with no class above 25% of the confident ones. It trains a fixed 1,000 steps
 * of the 2,500-step recipe (45.1% and 45.4% confident there on two machines; 6-20 minutes on one core), so its
 * result does not depend on how fast the machine is. The
 * same model then inpaints the lower halves of 297 held-out digits, which the classifier must label correctly more
 * often than the same digits with blank lower halves, and at least as often with resampling as without.
 */
class DigitsConsistencyTrainingTest {
    static final int BATCH = Integer.getInteger("digits.batch", 64);
    /** The iCT curriculum's horizon (the recipe's length) and the steps this test trains of it. */
    static final int STEPS = Integer.getInteger("digits.steps", 2500);
    static final int RUN = Integer.getInteger("digits.run", 1000);
    static final double MINUTES = Double.parseDouble(System.getProperty("digits.minutes", "60"));
    static final double LR = Double.parseDouble(System.getProperty("digits.lr", "1e-3"));
    static final int CHANNELS = Integer.getInteger("digits.channels", 32);
    static final double EMA = Double.parseDouble(System.getProperty("digits.ema", "0.99"));
    static final double CLIP = Double.parseDouble(System.getProperty("digits.clip", "100"));
    static final int EVAL_EVERY = Integer.getInteger("digits.evalEvery", 250);

    static UNetConfig network() {
        return new UNetConfig(8, 1, 1, CHANNELS, List.of(1, 2), Integer.getInteger("digits.blocks", 1), List.of(4), 32, 0.0, true, false, 0,
                NoiseEmbedding.POSITIONAL, 16, UNetConfig.TORCH_NORM_EPS, AttentionType.FLASH, true);
    }

    /** iCT (curriculum 10 -> 320 over {@code steps}, lognormal indices, pseudo-Huber), Adam, one EMA rate. */
    static TrainerConfig config(int steps) {
        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 320, steps), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        return new TrainerConfig(ct, TrainerConfig.OptimizerKind.ADAM, LR, CLIP, List.of(EMA), 7, DataType.FLOAT);
    }

    @Test
    void oneStepSamplesAreConfidentlyClassifiedDigits() throws Exception {
        Split split = Split.load();
        INDArray images = split.images();
        int[] labels = split.labels();
        INDArray testImages = split.testImages();
        int[] testLabels = split.testLabels();
        LogisticClassifier classifier = split.classifier();
        double accuracy = classifier.accuracy(testImages, testLabels);
        ai.onestep.eval.DigitScorer.Score real = classifier.score(images);
        Rng noiseRng = Rng.of(5);
        float[] u = new float[64_000];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (noiseRng.uniform() * 2 - 1);
        }
        INDArray uniform = Nd4j.createFromArray(u).reshape(1000, 1, 8, 8);
        ai.onestep.eval.DigitScorer.Score noise = classifier.score(uniform);
        System.out.printf("classifier: held-out accuracy %.3f, real digits %s, uniform noise %s%n", accuracy, real, noise);
        assertTrue(noise.confident() < 0.15, "the classifier must not be confident on noise: " + noise);

        TrainerConfig cfg = config(STEPS);
        UNet net = new UNet(network());
        ai.onestep.eval.DigitScorer.Score last = null;
        double[] inpaintedAgreement;
        double[] resampledAgreement;
        try (Trainer trainer = new Trainer(cfg, net, null, null)) {
            System.out.println(net.describe() + ", " + trainer.params().length() + " parameters");
            ai.onestep.eval.DigitScorer.Score[] scored = {null};
            int trained = train(trainer, images, RUN, MINUTES, (step, minutes) -> {
                scored[0] = classifier.score(sample(trainer, 1000));
                System.out.printf("digits CT: step %d, %.2f min, N=%d, EMA one-step %s%n", step, minutes,
                        trainer.schedule().n(step), scored[0]);
            });
            assertTrue(trained == RUN, "stopped by the " + MINUTES + "-minute bound after " + trained + " steps");
            last = scored[0];
            inpaintedAgreement = inpaintLowerHalves(trainer.denoiser(EMA), classifier, testImages, testLabels);
            resampledAgreement = inpaintLowerHalves(trainer.denoiser(EMA), classifier, testImages, testLabels,
                    karrasEditor(RESAMPLED, 16));
        }
        assertTrue(last != null && last.confident() >= 0.40, "confident fraction " + last);
        assertTrue(last.maxShare() <= 0.25, "class histogram too peaked: " + last);
        // issue 6's goal is 80%; what this 1,000-step model reaches is in the README. Asserted here: the editing loop
        // uses the model, i.e. regenerated halves carry the digit clearly better than blank ones.
        assertTrue(inpaintedAgreement[0] >= inpaintedAgreement[1] + 0.05, "inpainted held-out digits keep their label "
                + inpaintedAgreement[0] + " of the time, blanked halves " + inpaintedAgreement[1]);
        // resampling (Editor repeats) lets the regenerated halves agree with the kept ones: never worse than one pass
        assertTrue(resampledAgreement[0] >= inpaintedAgreement[0], "with resampling " + resampledAgreement[0]
                + ", without " + inpaintedAgreement[0]);
    }

    /** Steps through shuffled epochs of {@code images} (batch BATCH), skipping non-finite steps; stops at
     * {@code steps} or after {@code minutes}, calling {@code eval} every EVAL_EVERY steps and at the end. */
    static int train(Trainer trainer, INDArray images, int steps, double minutes, Eval eval) {
        int n = (int) images.size(0);
        Rng data = Rng.of(8);
        int[] order = data.permutation(n);
        int cursor = 0;
        long start = System.nanoTime();
        int step = 0;
        while (step < steps && minutes(start) < minutes) {
            int[] idx = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                if (cursor == n) {
                    order = data.permutation(n);
                    cursor = 0;
                }
                idx[i] = order[cursor++];
            }
            if (Double.isNaN(trainer.step(images.get(Nd4j.createFromArray(idx)), null))) {
                System.out.println("digits CT: skipped a non-finite step at " + step + ": "
                        + trainer.trainStep().lastNonFinite());
                continue;
            }
            step++;
            if (step % EVAL_EVERY == 0 || step == steps || minutes(start) >= minutes) {
                eval.at(step, minutes(start));
            }
        }
        return step;
    }

    interface Eval {
        void at(int step, double minutes);
    }

    static final int HELD_OUT = 297;
    /** Karras-grid indices of the resampled inpainting, each later one visited 16 times (README, issue 6). */
    static final int[] RESAMPLED = {0, 20, 24, 28, 32};

    /** 297 held-out "test" digits for the inpainting check; the model and the classifier see the other 1,500. */
    record Split(INDArray images, int[] labels, INDArray testImages, int[] testLabels, LogisticClassifier classifier) {
        static Split load() throws Exception {
            Digits all = Digits.load();
            int[] perm = Rng.of(3).permutation(all.labels.length);
            int[] testIdx = java.util.Arrays.copyOfRange(perm, 0, HELD_OUT);
            int[] trainIdx = java.util.Arrays.copyOfRange(perm, HELD_OUT, perm.length);
            INDArray images = all.images.get(Nd4j.createFromArray(trainIdx));
            int[] labels = pick(all.labels, trainIdx);
            return new Split(images, labels, all.images.get(Nd4j.createFromArray(testIdx)), pick(all.labels, testIdx),
                    LogisticClassifier.train(images, labels, 10, 800));
        }
    }

    /**
     * Zero-shot inpainting (issue 6): the lower half of each held-out digit is regenerated by the editing loop
     * (Karras-grid indices 0,5,10,20,39 of 40) and the classifier names the digit; returns {agreement after
     * inpainting, agreement with the lower halves blanked (set to the background, -1) instead}.
     */
    static double[] inpaintLowerHalves(ai.onestep.precond.Denoiser f, LogisticClassifier classifier, INDArray test,
                                       int[] labels) {
        return inpaintLowerHalves(f, classifier, test, labels, karrasEditor(new int[]{0, 5, 10, 20, 39}, 1));
    }

    /** The editing loop at these indices of the 40-point Karras grid, each later time visited {@code repeats} times. */
    static Editor karrasEditor(int[] indices, int repeats) {
        double[] karras = ai.onestep.schedule.Karras.standard().sigmas(40);
        return new Editor(java.util.Arrays.stream(indices).mapToDouble(i -> karras[i]).toArray(), 0.002, repeats);
    }

    static double[] inpaintLowerHalves(ai.onestep.precond.Denoiser f, LogisticClassifier classifier, INDArray test,
                                       int[] labels, Editor editor) {
        INDArray known = Nd4j.ones(DataType.FLOAT, 1, 1, 8, 8);
        known.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.all()).assign(0);
        INDArray start = Tensors.gaussian(Rng.of(101), DataType.FLOAT, test.shape()).muli(editor.times()[0]);
        INDArray filled = editor.run(f, new Inpaint(test, known), start, null, Rng.of(102));
        INDArray blank = test.mul(known.broadcast(test.shape())).addi(known.broadcast(test.shape()).rsub(1).muli(-1));
        double agree = agreement(classifier.probabilities(filled), labels);
        double blanked = agreement(classifier.probabilities(blank), labels);
        System.out.printf("digits inpainting: lower halves of %d held-out digits regenerated; classifier keeps the "
                + "label for %.1f%% (with the halves blanked instead: %.1f%%)%n", labels.length, 100 * agree, 100 * blanked);
        return new double[]{agree, blanked};
    }

    static double agreement(INDArray p, int[] labels) {
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += p.getRow(i).argMax().getInt(0) == labels[i] ? 1 : 0;
        }
        return ok / (double) labels.length;
    }

    static int[] pick(int[] v, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    static INDArray sample(Trainer trainer, int count) {
        INDArray z = Tensors.gaussian(Rng.of(99), DataType.FLOAT, count, 1, 8, 8);
        return ConsistencySampler.oneStep(80, 0.002).sample(trainer.denoiser(EMA), z, null, Rng.of(100));
    }

    private static double minutes(long start) {
        return (System.nanoTime() - start) / 60e9;
    }
}
