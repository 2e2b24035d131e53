package ai.onestep.edit;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Check;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Editing with a class-conditional model when the class is not given: the edit is run once per class, and each image
 * keeps the result whose class best explains what the edit keeps. A result x_c (edited with class c) is noised again
 * at a few levels sigma and denoised with class c; the score is how far those denoised images stray from the
 * projection's constraint, sum over sigma and draws of |P(D) - D|^2 with D = D(x_c + sigma z, sigma, c). For
 * inpainting that is the error on the kept pixels, for colorization the luma error, for super-resolution the patch-mean
 * error. The lowest score wins. This is the denoising-error classifier of Li et al. 2023 ("Your Diffusion Model is
 * Secretly a Zero-Shot Classifier", Eq. 4; Clark and Jaini 2023), restricted to what the input says; the noises z are
 * the same for every class, so the classes are compared on equal terms.
 *
 * <p>Cost per image: classes x (the edit's network evaluations + sigmas x draws).
 *
 * @param classes the model's class count (>= 2)
 * @param sigmas  noise levels of the score, in data units (images in [-1, 1])
 * @param draws   noise draws per level
 */
public record ClassSearch(int classes, double[] sigmas, int draws) {
    /**
     * Levels chosen on MNIST upper halves (docs/editing.md): mid-range levels each pick the right class for most
     * digits, while small ones do not, since there the denoiser copies the kept pixels whatever the class.
     */
    public static final double[] DEFAULT_SIGMAS = {1.0, 1.5, 2.0, 2.5, 3.0};
    public static final int DEFAULT_DRAWS = 8;

    public ClassSearch {
        Check.that(classes >= 2, "a class search needs a class-conditional model (>= 2 classes), got " + classes);
        Check.that(sigmas.length > 0 && Arrays.stream(sigmas).allMatch(s -> s > 0 && Double.isFinite(s)),
                "class-search noise levels must be positive, got " + Arrays.toString(sigmas));
        Check.that(draws >= 1 && draws <= 1000, "class-search draws must be in 1..1000, got " + draws);
        sigmas = sigmas.clone();
    }

    public static ClassSearch of(int classes) {
        return new ClassSearch(classes, DEFAULT_SIGMAS, DEFAULT_DRAWS);
    }

    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** Network evaluations per image, given the edit's own. */
    public int evaluations(int perEdit) {
        return classes * (perEdit + sigmas.length * draws);
    }

    /** The edited images and, for each, the class it was edited with. */
    public record Result(INDArray images, int[] labels) {
    }

    /**
     * @param p     the edit's constraint; {@link Projection#NONE} has nothing to score and is refused
     * @param start x at the editor's first time, one row per image (the same start for every class)
     * @param rng   the edits' noise and the score's (each replayed identically for every class)
     */
    public Result run(Editor editor, Denoiser f, Projection p, INDArray start, Rng rng) {
        Check.that(p != Projection.NONE, "a class search needs an edit that keeps something of its input");
        int n = (int) start.size(0);
        long editSeed = rng.nextLong();
        long scoreSeed = rng.nextLong();
        INDArray best = null;
        double[] bestScore = new double[n];
        int[] bestClass = new int[n];
        for (int c = 0; c < classes; c++) {
            int[] labels = new int[n];
            Arrays.fill(labels, c);
            INDArray x = editor.run(f, p, start, labels, Rng.of(editSeed));
            double[] score = score(f, p, x, labels, Rng.of(scoreSeed));
            if (best == null) {
                best = x;
                System.arraycopy(score, 0, bestScore, 0, n);
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (score[i] < bestScore[i]) {
                    bestScore[i] = score[i];
                    bestClass[i] = c;
                    best.putSlice(i, x.slice(i));
                }
            }
        }
        return new Result(best, bestClass);
    }

    private double[] score(Denoiser f, Projection p, INDArray x, int[] labels, Rng rng) {
        int n = (int) x.size(0);
        double[] score = new double[n];
        for (double sigma : sigmas) {
            for (int k = 0; k < draws; k++) {
                INDArray d = f.denoise(x.add(Tensors.gaussian(rng, x.dataType(), x.shape()).muli(sigma)),
                        Tensors.fill(n, sigma), labels);
                INDArray r = p.project(d).subi(d);
                INDArray perImage = r.muli(r).reshape(n, -1).sum(1);
                for (int i = 0; i < n; i++) {
                    score[i] += perImage.getDouble(i);
                }
            }
        }
        return score;
    }
}
