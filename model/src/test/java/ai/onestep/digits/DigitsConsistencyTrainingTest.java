package ai.onestep.digits;

import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.UNet;
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

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consistency training learns real images: a small UNet trained from scratch by (improved) consistency training on
 * the 8x8 digits produces one-step samples that a classifier trained on the real digits labels confidently
 * (p >= 0.9) at least 40% of the time, with no class above 25% of the confident ones. Bounded to 12 minutes.
 */
class DigitsConsistencyTrainingTest {
    static final int BATCH = Integer.getInteger("digits.batch", 64);
    static final int STEPS = Integer.getInteger("digits.steps", 2500);
    static final double MINUTES = Double.parseDouble(System.getProperty("digits.minutes", "11"));
    static final double LR = Double.parseDouble(System.getProperty("digits.lr", "1e-3"));
    static final int CHANNELS = Integer.getInteger("digits.channels", 32);
    static final double EMA = Double.parseDouble(System.getProperty("digits.ema", "0.99"));
    static final double CLIP = Double.parseDouble(System.getProperty("digits.clip", "100"));
    static final int EVAL_EVERY = Integer.getInteger("digits.evalEvery", 250);

    static UNetConfig network() {
        return new UNetConfig(8, 1, 1, CHANNELS, List.of(1, 2), Integer.getInteger("digits.blocks", 1), List.of(4), 32, 0.0, true, false, 0,
                NoiseEmbedding.POSITIONAL, 16, false);
    }

    @Test
    void oneStepSamplesAreConfidentlyClassifiedDigits() throws Exception {
        Digits digits = Digits.load();
        DigitClassifier classifier = DigitClassifier.train(digits.images, digits.labels, 800);
        double accuracy = classifier.accuracy(digits.images, digits.labels);
        ai.onestep.eval.DigitScorer.Score real = classifier.score(digits.images);
        Rng noiseRng = Rng.of(5);
        float[] u = new float[64_000];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (noiseRng.uniform() * 2 - 1);
        }
        INDArray uniform = Nd4j.createFromArray(u).reshape(1000, 1, 8, 8);
        ai.onestep.eval.DigitScorer.Score noise = classifier.score(uniform);
        System.out.printf("classifier: accuracy %.3f, real digits %s, uniform noise %s%n", accuracy, real, noise);
        assertTrue(noise.confident() < 0.15, "the classifier must not be confident on noise: " + noise);

        Method ct = new Method.ConsistencyTraining(new IctCurriculum(10, 320, STEPS), LognormalIndex.standard(),
                Weighting.ICT, PseudoHuber.ict());
        TrainerConfig cfg = new TrainerConfig(ct, TrainerConfig.OptimizerKind.ADAM, LR, CLIP, List.of(EMA), 7,
                DataType.FLOAT);
        UNet net = new UNet(network());
        int n = digits.labels.length;
        ai.onestep.eval.DigitScorer.Score last = null;
        try (Trainer trainer = new Trainer(cfg, net, null, null)) {
            System.out.println(net.describe() + ", " + trainer.params().length() + " parameters");
            Rng data = Rng.of(8);
            int[] order = data.permutation(n);
            int cursor = 0;
            long start = System.nanoTime();
            int step = 0;
            while (step < STEPS && minutes(start) < MINUTES) {
                int[] idx = new int[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    if (cursor == n) {
                        order = data.permutation(n);
                        cursor = 0;
                    }
                    idx[i] = order[cursor++];
                }
                INDArray x = digits.images.get(Nd4j.createFromArray(idx));
                if (Double.isNaN(trainer.step(x, null))) {
                    System.out.println("digits CT: skipped a non-finite step at " + step + ": "
                            + trainer.trainStep().lastNonFinite());
                    continue;
                }
                step++;
                if (step % EVAL_EVERY == 0 || step == STEPS || minutes(start) >= MINUTES) {
                    last = classifier.score(sample(trainer, 1000));
                    System.out.printf("digits CT: step %d, %.2f min, N=%d, EMA one-step %s%n", step, minutes(start),
                            trainer.schedule().n(step), last);
                }
            }
        }
        assertTrue(last != null && last.confident() >= 0.40, "confident fraction " + last);
        assertTrue(last.maxShare() <= 0.25, "class histogram too peaked: " + last);
    }

    static INDArray sample(Trainer trainer, int count) {
        INDArray z = Tensors.gaussian(Rng.of(99), DataType.FLOAT, count, 1, 8, 8);
        return ConsistencySampler.oneStep(80, 0.002).sample(trainer.denoiser(EMA), z, null, Rng.of(100));
    }

    private static double minutes(long start) {
        return (System.nanoTime() - start) / 60e9;
    }
}
