package ai.onestep.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The original UNet's fixtures (resources openai-unet/, README there): a torch.save state dict with random weights,
 * its float16 copy, and what the original code computed from it.
 */
public final class OpenAiUnet {
    private OpenAiUnet() {
    }

    /** A fixture as a local file (copied out of the jar when the module is not on the class path as a directory). */
    public static Path file(String name) {
        URL url = OpenAiUnet.class.getResource("/openai-unet/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture openai-unet/" + name);
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            Path copy = Files.createTempDirectory("openai-unet").resolve(name);
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            copy.toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
