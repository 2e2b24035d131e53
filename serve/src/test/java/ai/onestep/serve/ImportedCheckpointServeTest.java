package ai.onestep.serve;

import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.ckpt.LocalFiles;
import ai.onestep.testing.OpenAiUnet;
import ai.onestep.torch.StateDictImport;
import ai.onestep.torch.TorchFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state dict imported under a published name is listed by that name with its kind and classes, and generates:
 * the demo serves imported checkpoints as any other.
 */
class ImportedCheckpointServeTest {
    @TempDir
    Path tmp;

    @Test
    void listsAndGeneratesWithAnImportedCheckpoint() throws Exception {
        Path checkpoints = Files.createDirectories(tmp.resolve("checkpoints"));
        StateDictImport.Imported imported = StateDictImport.of(
                TorchFile.readStateDict(OpenAiUnet.file("imagenet64-like.pt")),
                new StateDictImport.Options("ct_imagenet64.pt", null, 32, 16));
        CheckpointIO.saveAs(new LocalFiles(checkpoints), "ct_imagenet64", imported.checkpoint());
        try (DemoServer server = DemoServer.start(new ModelStudio(checkpoints.toString(), 1), Limits.DEFAULT,
                "127.0.0.1", 0, (who, what) -> { })) {
            JsonNode list = new ObjectMapper().readTree(Http.get(server.url() + "api/checkpoints").body());
            assertEquals(1, list.size(), list.toString());
            JsonNode c = list.get(0);
            assertEquals("ct_imagenet64", c.get("name").asText());
            assertEquals("ct", c.get("kind").asText());
            assertEquals(1000, c.get("classes").asInt());
            assertEquals(32, c.get("resolution").asInt());
            HttpResponse<byte[]> r = Http.postJson(server.url() + "api/generate",
                    "{\"checkpoint\": \"ct_imagenet64\", \"num\": 1, \"class\": 207, \"seed\": 1}");
            assertEquals(200, r.statusCode(), Http.text(r));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertTrue(img.getWidth() >= 32 && img.getHeight() >= 32, img.getWidth() + "x" + img.getHeight());
        }
    }
}
