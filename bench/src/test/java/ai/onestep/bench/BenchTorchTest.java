package ai.onestep.bench;

import ai.onestep.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench train --torch} against a stand-in anchor that prints what torch-unet-bench prints: the ratios use the
 * anchor's medians of every step and of its clean steps, and the anchor's spreads are computed from its timed steps
 * (its three warm-up steps left out, the foreign load of each from its detail row) by the same measure as OneStep's.
 */
class BenchTorchTest {
    @TempDir
    Path tmp;

    @Test
    void printsTheRatioAndBothSpreads() throws Exception {
        // steps 3-6 time 1.0, 1.2, 1.0, 2.0 s; the 1.2 s step ran beside 0.3 cores of foreign load
        Files.writeString(tmp.resolve("run.sh"), String.join("\n",
                "echo 'engine=PyTorch 2.7.1 gn=manual'",
                "echo 'train it 0 9.000 s loss 1.0'", // warm-up: a spread of 8 if it were counted
                "echo 'train it 1 1.000 s loss 1.0'",
                "echo 'train it 2 1.000 s loss 1.0'",
                "echo 'train it 3 1.000 s loss 1.0'",
                "echo 'train it 4 1.200 s loss 1.0'",
                "echo 'train it 5 1.000 s loss 1.0'",
                "echo 'train it 6 2.000 s loss 1.0'",
                "echo 'RESULT djl gn=manual B=32 C=64 train_median=1.000 s (32.0 img/s, 84.8 GFLOP/s) "
                        + "fwd_median=0.400 s (80.0 img/s, 70.6 GFLOP/s) '",
                "echo '  train: median=1.100 min=1.000 cleanMedian=1.000 (clean 3/4) meanForeignCores=0.08'",
                "echo '   1.00(own1.9,fg0.0) 1.20(own1.6,fg0.3) 1.00(own1.9,fg0.1) 2.00(own1.0,fg0.0) '",
                "echo '  fwd: median=0.500 min=0.400 cleanMedian=0.400 (clean 3/4) meanForeignCores=0.10'",
                "echo '   0.40(own1.9,fg0.0) 0.60(own1.6,fg0.4) 0.40(own1.9,fg0.0) 0.50(own1.9,fg0.0) '",
                ""));
        CliRun r = BenchCliTest.run("train", "--channels", "8", "--batch", "2", "--warmup", "0",
                "--iterations", "2", "--torch", "--anchor", tmp.toString());
        int code = r.code();
        String out = r.out() + r.err();
        String ours = "([0-9.]+|NaN)"; // OneStep's clean figures are NaN when the machine was busy during every step
        assertEquals(0, code, out);
        assertTrue(out.contains("[pytorch] train it 6 2.000 s"), out);
        // every step against every step, clean steps against clean steps
        assertTrue(out.matches("(?s).*RESULT ratio train onestep/pytorch = [0-9.]+ \\(median of every timed step: "
                + "onestep [0-9.]+ s, pytorch 1\\.100 s.*"), out);
        assertTrue(out.matches("(?s).*RESULT ratio train clean onestep/pytorch = " + ours + " .*pytorch 1\\.000 s\\).*"),
                out);
        // spreads: all four steps 2.0 / 1.1; the clean ones (1.0, 1.0, 2.0) 2.0 / 1.0
        assertTrue(out.matches("(?s).*RESULT spread train onestep [0-9.]+ \\(clean steps " + ours + "\\), pytorch 1\\.82 "
                + "\\(clean steps 2\\.00\\).*"), out);
    }
}
