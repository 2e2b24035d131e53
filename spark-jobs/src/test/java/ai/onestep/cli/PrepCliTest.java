package ai.onestep.cli;

import ai.onestep.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
        CliRun dry = OneStepCliTest.run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16", "--dry-run",
                "--class-folders");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("7 files, 2 classes"), dry.out());
        assertFalse(Files.exists(tmp.resolve("shards")), "--dry-run must not write");

        CliRun p = OneStepCliTest.run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16", "--class-folders",
                "--master", "local[2]");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("prep folder: 6 images -> 1 shards") && p.out().contains("not-an-image 1"),
                p.out());

        CliRun again = OneStepCliTest.run("prep", "folder", "--input", in.toString(), "--output", out, "--resolution", "16");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("output already exists") && again.err().contains("--overwrite"),
                again.err());

        String grid = tmp.resolve("grid.png").toString();
        CliRun i = OneStepCliTest.run("inspect", out, "--grid", grid, "--export", tmp.resolve("export").toString(), "--limit", "4");
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("\"count\" : 6"), i.out());
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
        CliRun plain = OneStepCliTest.run("inspect", out);
        assertEquals(0, plain.code(), plain.err());
        assertFalse(Files.exists(Path.of(System.getProperty("user.dir"), "shards-grid.png")));
        assertFalse(plain.out().contains("grid"), plain.out());
    }

    @Test
    void badPrepInputIsOneLine() {
        CliRun r = OneStepCliTest.run("prep", "folder", "--input", tmp.resolve("missing").toString(), "--output",
                tmp.resolve("o").toString(), "--resolution", "16");
        assertEquals(2, r.code());
        assertEquals("onestep: input does not exist: " + tmp.resolve("missing"), r.err().strip());
        CliRun res = OneStepCliTest.run("prep", "folder", "--input", tmp.toString(), "--output", tmp.resolve("o").toString(),
                "--resolution", "0");
        assertEquals(2, res.code());
        assertTrue(res.err().contains("resolution must be in 1..4096"), res.err());
        CliRun i = OneStepCliTest.run("inspect", tmp.toString());
        assertEquals(2, i.code());
        assertTrue(i.err().contains("is neither a shard set"), i.err());
    }
}
