package ai.onestep.cli;

import ai.onestep.testing.OpenAiUnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/fetch-checkpoints against a local mirror (a file:// base URL holding a generated state dict under a published
 * name): downloads with curl, imports, skips what is there, and refuses what is not published.
 */
class FetchCheckpointsTest {
    @TempDir
    Path tmp;

    private record Run(int code, String output) {
    }

    private Run fetch(String... args) throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/fetch-checkpoints");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        pb.environment().put("ONESTEP", java + " -cp " + System.getProperty("java.class.path") + " "
                + OneStep.class.getName());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void downloadsImportsAndSkipsWhatIsThere() throws Exception {
        assertTrue(new ProcessBuilder("curl", "--version").start().waitFor() == 0,
                "bin/fetch-checkpoints needs curl (Debian: apt-get install curl)");
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Files.copy(OpenAiUnet.file("imagenet64-like.pt"), mirror.resolve("ct_imagenet64.pt"));
        Path dir = tmp.resolve("checkpoints");
        String base = mirror.toUri().toString();
        Run r = fetch("ct_imagenet64", "--dir", dir.toString(), "--base-url", base, "--", "--image-size", "32",
                "--head-channels", "16");
        assertEquals(0, r.code(), r.output());
        assertTrue(Files.exists(dir.resolve("ct_imagenet64/checksums.sha256")), r.output());
        assertFalse(Files.exists(dir.resolve(".downloads/ct_imagenet64.pt")), "the download is removed once imported");
        String config = Files.readString(dir.resolve("ct_imagenet64/config.json"));
        assertTrue(config.contains("\"kind\":\"ct\""), config);
        r = fetch("ct_imagenet64", "--dir", dir.toString(), "--base-url", base);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("exists; skipped"), r.output());

        r = fetch("ct_imagenet32", "--dir", dir.toString(), "--base-url", base);
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("not a published checkpoint"), r.output());
        r = fetch("cd_cat256_l2", "--dir", dir.toString(), "--base-url", base);
        assertEquals(5, r.code(), r.output());
        assertFalse(Files.exists(dir.resolve("cd_cat256_l2")));
        assertFalse(Files.exists(dir.resolve(".downloads/cd_cat256_l2.pt.part")));
    }
}
