package ai.onestep.edit;

import ai.onestep.precond.Denoiser;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The class search on a model whose denoiser is exact: class c's images are N(mu_c, s^2 I), so
 * D(x, sigma, c) = mu_c + s^2 / (s^2 + sigma^2) (x - mu_c). The class of each image is told by its upper half alone.
 */
class ClassSearchTest {
    static final int CLASSES = 4;
    static final double S = 0.1;
    static final INDArray MEANS = Tensors.gaussian(Rng.of(1), DataType.FLOAT, CLASSES, 1, 4, 4).muli(0.6);

    static final Denoiser EXACT = (x, sigma, labels) -> {
        INDArray out = x.dup();
        for (int i = 0; i < labels.length; i++) {
            INDArray mu = MEANS.slice(labels[i]);
            double k = S * S / (S * S + sigma[i] * sigma[i]);
            out.putSlice(i, x.slice(i).sub(mu).muli(k).addi(mu));
        }
        return out;
    };

    static final Editor EDITOR = new Editor(new double[]{80, 2.0, 0.5}, 0.002, 2);

    @Test
    void eachImageIsEditedWithTheClassItsKeptPixelsBelongTo() {
        int[] truth = {2, 0, 3, 1, 1, 3, 0, 2};
        INDArray images = Nd4j.create(DataType.FLOAT, truth.length, 1, 4, 4);
        for (int i = 0; i < truth.length; i++) {
            images.putSlice(i, MEANS.slice(truth[i]).add(Tensors.gaussian(Rng.of(10 + i), DataType.FLOAT, 1, 4, 4).muli(S)));
        }
        INDArray known = Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 4);
        known.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all()).assign(1);
        Inpaint p = new Inpaint(images, known);
        INDArray start = Tensors.gaussian(Rng.of(3), DataType.FLOAT, truth.length, 1, 4, 4).muli(80);

        ClassSearch.Result r = ClassSearch.of(CLASSES).run(EDITOR, EXACT, p, start, Rng.of(4));

        assertArrayEquals(truth, r.labels());
        // each row is what the plain edit with its chosen class gives (same start, same noise), known pixels exact
        Rng seeds = Rng.of(4);
        INDArray[] byClass = new INDArray[CLASSES];
        long editSeed = seeds.nextLong();
        for (int c = 0; c < CLASSES; c++) {
            int[] labels = new int[truth.length];
            Arrays.fill(labels, c);
            byClass[c] = EDITOR.run(EXACT, p, start, labels, Rng.of(editSeed));
        }
        for (int i = 0; i < truth.length; i++) {
            assertEquals(byClass[truth[i]].slice(i), r.images().slice(i), "image " + i);
            assertEquals(images.slice(i).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all()),
                    r.images().slice(i).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all()));
        }
    }

    @Test
    void costsEveryClassTheEditAndTheScore() {
        assertEquals(10 * (9 + 5 * 8), ClassSearch.of(10).evaluations(9));
    }

    @Test
    void refusesWhatItCannotScore() {
        INDArray start = Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> ClassSearch.of(CLASSES).run(EDITOR, EXACT, Projection.NONE,
                start, Rng.of(1)));
        assertThrows(IllegalArgumentException.class, () -> ClassSearch.of(1));
        assertThrows(IllegalArgumentException.class, () -> new ClassSearch(4, new double[]{0}, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClassSearch(4, new double[]{1}, 0));
    }
}
