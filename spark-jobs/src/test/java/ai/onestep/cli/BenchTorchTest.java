package ai.onestep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench train --torch} against a stand-in anchor that prints what torch-unet-bench prints: the ratio uses the
 * anchor's median, and the anchor's spread is computed from its timed steps (its three warm-up steps left out) by the
 * same measure as OneStep's.
 */
class BenchTorchTest {
    @TempDir
    Path tmp;

    @Test
    void printsTheRatioAndBothSpreads() throws Exception {
        Files.writeString(tmp.resolve("run.sh"), String.join("\n",
                "echo 'engine=PyTorch 2.7.1 gn=manual'",
                "echo 'train it 0 9.000 s loss 1.0'", // warm-up: a spread of 8 if it were counted
                "echo 'train it 1 1.000 s loss 1.0'",
                "echo 'train it 2 1.000 s loss 1.0'",
                "echo 'train it 3 1.000 s loss 1.0'",
                "echo 'train it 4 1.200 s loss 1.0'",
                "echo 'train it 5 1.000 s loss 1.0'",
                "echo 'train it 6 2.000 s loss 1.0'",
                "echo 'RESULT djl gn=manual B=32 C=64 train_median=1.100 s (29.1 img/s, 77.1 GFLOP/s) fwd_median=0.500 s (64.0 img/s, 56.5 GFLOP/s) '",
                ""));
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = OneStepCliTest.run("bench", "train", "--channels", "8", "--batch", "2", "--warmup", "0",
                    "--iterations", "2", "--layout", "nchw", "--torch", "--anchor", tmp.toString()).code();
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("[pytorch] train it 6 2.000 s"), out);
        assertTrue(out.contains("pytorch 1.100 s/step, batch 32"), out);
        assertTrue(out.matches("(?s).*RESULT spread train-nchw onestep [0-9.]+, pytorch 1\\.82 \\(.*pytorch over 4 steps\\).*"),
                out);
    }
}
