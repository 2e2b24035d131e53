package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import ai.onestep.testing.Presets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code onestep edit}: every task end to end on checkpoints trained here in a few steps (gray and RGB). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditCliTest {
    @TempDir
    static Path tmp;
    String gray;
    String rgb;
    String conditional;

    @BeforeAll
    void trainTwoModels() throws IOException {
        Path idx = SampleCliTest.writeIdx(tmp.resolve("idx"), 40);
        Path folder = Files.createDirectories(tmp.resolve("rgb"));
        for (int i = 0; i < 8; i++) {
            ImageIO.write(picture(8, i), "png", folder.resolve("img" + i + ".png").toFile());
        }
        String preset = Presets.file("digits8-ct").toString();
        gray = train(preset, "idx", idx.toString(), "gray");
        rgb = train(preset, "folder", folder.toString(), "rgb", "network.unet.inChannels=3");
        Path labelled = tmp.resolve("labelled");
        QuickstartTest.writeIdx(labelled, 40);
        conditional = train(preset, "idx", labelled.toString(), "conditional", "network.unet.numClasses=10");
    }

    static String train(String preset, String source, String input, String name, String... extra) {
        String shards = tmp.resolve(name + "-shards").toString();
        CliRun p = OneStepCliTest.run("prep", source, "--input", input, "--output", shards, "--resolution", "8",
                "--master", "local[1]");
        assertEquals(0, p.code(), p.err());
        String run = tmp.resolve(name + "-run").toString();
        String[] args = {"train", "--conf", preset, "--run-dir", run, "--master", "local[2]", "data.path=" + shards,
                "run.steps=10"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        CliRun t = OneStepCliTest.run(all);
        assertEquals(0, t.code(), t.err());
        return run;
    }

    static BufferedImage picture(int side, int seed) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, ((x * 31 + seed * 20) % 256 << 16) | ((y * 29 + seed * 7) % 256 << 8) | ((x + y) * 15 % 256));
            }
        }
        return img;
    }

    Path png(String name, BufferedImage img) throws IOException {
        Path p = tmp.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    static int gray(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    static BufferedImage grayInput() {
        BufferedImage in = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                in.getRaster().setSample(x, y, 0, (x * 30 + y * 3) % 256);
            }
        }
        return in;
    }

    /** White (regenerate) on the lower half, black (keep) above. */
    static BufferedImage lowerHalfMask() {
        BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        return mask;
    }

    @Test
    void inpaintingKeepsEveryPixelOutsideTheMask() throws IOException {
        BufferedImage in = grayInput();
        String input = png("in.png", in).toString();
        String maskFile = png("mask.png", lowerHalfMask()).toString();
        for (String repeats : new String[]{"1", "3"}) { // the paper's loop, and with resampling
            Path out = tmp.resolve("inpainted-" + repeats + ".png");
            CliRun r = OneStepCliTest.run("edit", "--task", "inpaint", "--checkpoint", gray, "--input", input,
                    "--mask", maskFile, "--repeats", repeats, "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage o = ImageIO.read(out.toFile());
            assertEquals(8, o.getWidth());
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 8; x++) {
                    assertEquals(gray(in, x, y), gray(o, x, y), "kept pixel " + x + "," + y + ", repeats " + repeats);
                }
            }
        }
    }

    @Test
    void aConditionalModelChoosesTheClassUnlessOneIsGiven() throws IOException {
        BufferedImage in = grayInput();
        String input = png("in-c.png", in).toString();
        String maskFile = png("mask-c.png", lowerHalfMask()).toString();
        Path out = tmp.resolve("inpainted-c.png");
        CliRun r = OneStepCliTest.run("edit", "--task", "inpaint", "--checkpoint", conditional, "--input", input,
                "--mask", maskFile, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*class [0-9] chosen of 10.*"), r.out());
        BufferedImage o = ImageIO.read(out.toFile());
        for (int x = 0; x < 8; x++) {
            assertEquals(gray(in, x, 0), gray(o, x, 0), "kept pixel " + x + ",0");
        }
        CliRun given = OneStepCliTest.run("edit", "--task", "inpaint", "--checkpoint", conditional, "--input",
                input, "--mask", maskFile, "--class", "3", "--out", out.toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(!given.out().contains("chosen"), given.out());
    }

    @Test
    void superResolutionKeepsPatchMeansOfTheSmallInput() throws IOException {
        BufferedImage small = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                small.getRaster().setSample(x, y, 0, 40 + 50 * x + 5 * y);
            }
        }
        Path out = tmp.resolve("big.png");
        CliRun r = OneStepCliTest.run("edit", "--task", "superres", "--checkpoint", gray, "--input",
                png("small.png", small).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage o = ImageIO.read(out.toFile());
        assertEquals(8, o.getWidth());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double mean = (gray(o, 2 * x, 2 * y) + gray(o, 2 * x + 1, 2 * y) + gray(o, 2 * x, 2 * y + 1)
                        + gray(o, 2 * x + 1, 2 * y + 1)) / 4.0;
                // exact in floats; 8-bit rounding of four pixels (and clipping at 0/255) moves the mean by < 1.5
                assertEquals(gray(small, x, y), mean, 1.5, "patch " + x + "," + y);
            }
        }
    }

    @Test
    void colorizationOutputLumaMatchesTheGrayInput() throws IOException {
        BufferedImage in = picture(8, 3);
        Path out = tmp.resolve("colored.png");
        CliRun r = OneStepCliTest.run("edit", "--task", "colorize", "--checkpoint", rgb, "--input",
                png("color-in.png", in).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage o = ImageIO.read(out.toFile());
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int a = in.getRGB(x, y);
                int b = o.getRGB(x, y);
                double lumaIn = (((a >> 16) & 255) * 19595 + ((a >> 8) & 255) * 38470 + (a & 255) * 7471 + 0x8000) >> 16;
                double lumaOut = 0.2989 * ((b >> 16) & 255) + 0.5870 * ((b >> 8) & 255) + 0.1140 * (b & 255);
                // exact in floats where no channel clips; 8-bit rounding moves luma by < 1
                if (((b >> 16) & 255) > 0 && ((b >> 16) & 255) < 255 && ((b >> 8) & 255) > 0 && ((b >> 8) & 255) < 255
                        && (b & 255) > 0 && (b & 255) < 255) {
                    assertEquals(lumaIn, lumaOut, 1.0, "luma at " + x + "," + y);
                }
            }
        }
        CliRun grayModel = OneStepCliTest.run("edit", "--task", "colorize", "--checkpoint", gray, "--input",
                png("color-in2.png", in).toString(), "--out", tmp.resolve("x.png").toString());
        assertEquals(2, grayModel.code());
        assertTrue(grayModel.err().contains("colorize needs an RGB model"), grayModel.err());
    }

    @Test
    void interpolationDenoisingAndStrokesWriteImages() throws IOException {
        Path path = tmp.resolve("path.png");
        CliRun r = OneStepCliTest.run("edit", "--task", "interpolate", "--checkpoint", gray, "--num", "5",
                "--seed", "1", "--seed2", "2", "--out", path.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(5 * 8 + 6 * 2, ImageIO.read(path.toFile()).getWidth()); // 2-pixel gaps, border included

        Path noisy = png("noisy.png", picture(8, 5));
        for (String[] args : new String[][]{{"--task", "denoise", "--sigma", "0.5"}, {"--task", "stroke", "--ts", "25,39"}}) {
            Path out = tmp.resolve(args[1] + ".png");
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                    "--checkpoint", gray, "--input", noisy.toString(), "--out", out.toString())).toArray(String[]::new);
            String[] cmd = new String[all.length + 1];
            cmd[0] = "edit";
            System.arraycopy(all, 0, cmd, 1, all.length);
            CliRun e = OneStepCliTest.run(cmd);
            assertEquals(0, e.code(), e.err());
            assertEquals(8, ImageIO.read(out.toFile()).getWidth());
        }
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwo() throws IOException {
        Path notImage = tmp.resolve("notes.png");
        Files.writeString(notImage, "hello");
        String[][] cases = {
                {"--task", "paint", "--checkpoint", gray, "--out", tmp.resolve("a.png").toString()},
                {"--task", "inpaint", "--checkpoint", gray, "--input", notImage.toString(), "--mask", notImage.toString(),
                        "--out", tmp.resolve("b.png").toString()},
                {"--task", "inpaint", "--checkpoint", gray, "--input", png("ok.png", picture(8, 1)).toString(),
                        "--out", tmp.resolve("c.png").toString()},
                {"--task", "denoise", "--checkpoint", gray, "--input", png("ok2.png", picture(8, 1)).toString(),
                        "--out", tmp.resolve("d.png").toString()},
                {"--task", "superres", "--checkpoint", gray, "--input", png("odd.png", picture(3, 1)).toString(),
                        "--out", tmp.resolve("e.png").toString()},
                {"--task", "interpolate", "--checkpoint", tmp.resolve("nowhere").toString(), "--out",
                        tmp.resolve("f.png").toString()},
                {"--task", "inpaint", "--checkpoint", gray, "--repeats", "0", "--out", tmp.resolve("g.png").toString()},
                {"--task", "inpaint", "--checkpoint", gray, "--input", png("ok3.png", picture(8, 1)).toString(),
                        "--mask", png("big-mask.png", picture(16, 1)).toString(), "--out", tmp.resolve("h.png").toString()},
        };
        String[] expect = {"task must be one of", "not a readable image", "needs --mask", "needs sigma",
                "multiple of the input", "nowhere", "repeats must be in 1..100", "the mask is 16x16 but the image is 8x8"};
        for (int i = 0; i < cases.length; i++) {
            String[] cmd = new String[cases[i].length + 1];
            cmd[0] = "edit";
            System.arraycopy(cases[i], 0, cmd, 1, cases[i].length);
            CliRun r = OneStepCliTest.run(cmd);
            assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.contains(expect[i]), err);
            assertFalse(Files.exists(Path.of(cmd[cmd.length - 1])), "nothing written for " + expect[i]);
        }
    }
}
