package ai.onestep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code onestep prep} and {@code onestep inspect} end to end, in process, on embedded Spark. */
class PrepCliTest {
    @TempDir
    Path tmp;

    record Out(OneStepCliTest.Run run, String stdout) {
    }

    static Out run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            OneStepCliTest.Run r = OneStepCliTest.run(args);
            return new Out(r, buf.toString());
        } finally {
            System.setOut(old);
        }
    }

    Path images() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("photos/a"));
        Files.createDirectories(tmp.resolve("photos/b"));
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(40 + i, 30, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40 + i; x++) {
                    img.setRGB(x, y, (x * 6 << 16) | (y * 8 << 8) | (i * 40));
                }
            }
            ImageIO.write(img, "png", tmp.resolve("photos/" + (i < 3 ? "a" : "b") + "/img" + i + ".png").toFile());
        }
        Files.writeString(in.resolve("README.txt"), "not an image");
        return tmp.resolve("photos");
    }

    @Test
    void prepThenInspectAndExport() throws IOException {
        Path in = images();
        String out = tmp.resolve("shards").toString();
        Out dry = run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16", "--dry-run",
                "--class-folders");
        assertEquals(0, dry.run().code(), dry.run().err());
        assertTrue(dry.stdout().contains("7 files, 2 classes"), dry.stdout());
        assertFalse(Files.exists(tmp.resolve("shards")), "--dry-run must not write");

        Out p = run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16", "--class-folders",
                "--master", "local[2]");
        assertEquals(0, p.run().code(), p.run().err());
        assertTrue(p.stdout().contains("prep folder: 6 images -> 1 shards") && p.stdout().contains("not-an-image 1"),
                p.stdout());

        Out again = run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16");
        assertEquals(2, again.run().code());
        assertTrue(again.run().err().contains("output already exists") && again.run().err().contains("--overwrite"),
                again.run().err());

        String grid = tmp.resolve("grid.png").toString();
        Out i = run("inspect", out, "--grid", grid, "--export", tmp.resolve("export").toString(), "--limit", "4");
        assertEquals(0, i.run().code(), i.run().err());
        assertTrue(i.stdout().contains("\"count\" : 6"), i.stdout());
        BufferedImage g = ImageIO.read(new java.io.File(grid));
        assertEquals(8 * 16 + 9 * 2 - 2 * 16 - 2 * 2, g.getWidth()); // 6 images in one row of 6: 6*16 + 7*2
        BufferedImage e0 = ImageIO.read(tmp.resolve("export/a/img0.png").toFile());
        assertEquals(16, e0.getWidth());
        try (var files = Files.walk(tmp.resolve("export"))) {
            assertEquals(4, files.filter(f -> f.toString().endsWith(".png")).count());
        }
        try (var files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".crc")
                    && !f.startsWith(tmp.resolve("shards"))).toList(), "no Hadoop checksum files beside the outputs");
        }
        // without --grid, inspect writes nothing (it used to drop <name>-grid.png into the working directory)
        Out plain = run("inspect", out);
        assertEquals(0, plain.run().code(), plain.run().err());
        assertFalse(Files.exists(Path.of(System.getProperty("user.dir"), "shards-grid.png")));
        assertFalse(plain.stdout().contains("grid"), plain.stdout());
    }

    @Test
    void badPrepInputIsOneLine() {
        Out r = run("prep", "folder", "--input", tmp.resolve("missing").toString(), "--output",
                tmp.resolve("o").toString(), "--resolution", "16");
        assertEquals(2, r.run().code());
        assertEquals("onestep: input does not exist: " + tmp.resolve("missing"), r.run().err().strip());
        Out res = run("prep", "folder", "--input", tmp.toString(), "--output", tmp.resolve("o").toString(),
                "--resolution", "0");
        assertEquals(2, res.run().code());
        assertTrue(res.run().err().contains("resolution must be in 1..4096"), res.run().err());
        Out i = run("inspect", tmp.toString());
        assertEquals(2, i.run().code());
        assertTrue(i.run().err().contains("is neither a shard set"), i.run().err());
    }
}
