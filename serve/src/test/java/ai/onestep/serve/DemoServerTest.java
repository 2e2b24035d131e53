package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.generate.EditSpec;
import ai.onestep.generate.SampleSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's HTTP API on real checkpoints, and every safety rule of the issue: each refusal is asserted here. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    Path checkpoints;
    DemoServer server;
    String url;
    final List<String> audit = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void checkpointsAndServer() throws IOException {
        checkpoints = Files.createDirectories(tmp.resolve("checkpoints"));
        Fixtures.run(checkpoints, "digits", 3);
        Fixtures.run(checkpoints, "rgb", 2, "network.unet.inChannels=3");
        Fixtures.run(checkpoints, "teacher", 2, "method.kind=edm");
        Fixtures.run(checkpoints, "classes", 1, "network.unet.numClasses=3");
        Path broken = Fixtures.run(checkpoints, "broken", 1);
        try (Stream<Path> files = Files.walk(broken)) {
            Path model = files.filter(p -> p.getFileName().toString().equals("model.npz")).findFirst().orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
        }
        Files.createDirectories(checkpoints.resolve("empty-dir"));
        server = start(Limits.DEFAULT, new ModelStudio(checkpoints.toString(), 4));
        url = server.url();
    }

    DemoServer start(Limits limits, Studio studio) {
        return DemoServer.start(studio, limits, "127.0.0.1", 0, (who, what) -> audit.add(who + " " + what));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void listsCheckpointsWithKindResolutionAndClasses() throws Exception {
        HttpResponse<byte[]> r = Http.get(url + "api/checkpoints");
        assertEquals(200, r.statusCode());
        JsonNode list = JSON.readTree(r.body());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        list.forEach(n -> byName.put(n.get("name").asText(), n));
        assertEquals(List.of("broken", "classes", "digits", "rgb", "teacher"), new ArrayList<>(byName.keySet()),
                "empty-dir is no checkpoint");
        assertEquals(3, byName.get("classes").get("classes").asInt());
        assertEquals("ct", byName.get("digits").get("kind").asText());
        assertEquals(8, byName.get("digits").get("resolution").asInt());
        assertEquals(1, byName.get("digits").get("channels").asInt());
        assertEquals(0, byName.get("digits").get("classes").asInt());
        assertEquals(3, byName.get("rgb").get("channels").asInt());
        assertEquals("edm", byName.get("teacher").get("kind").asText());
        assertEquals(3, byName.get("digits").get("step").asInt());
    }

    @Test
    void servesThePage() throws Exception {
        HttpResponse<byte[]> r = Http.get(url);
        assertEquals(200, r.statusCode());
        assertTrue(Http.text(r).contains("id=\"gen-go\""), "the page with its Generate button");
        assertEquals(200, Http.get(url + "app.js").statusCode());
        assertEquals(200, Http.get(url + "examples/camera.png").statusCode());
        HttpResponse<byte[]> names = Http.get(url + "imagenet-classes.json");
        assertEquals(200, names.statusCode());
        com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(names.body());
        assertEquals(1000, list.size(), "ImageNet's 1000 class names for the class picker");
        assertEquals("goldfish", list.get(1).asText());
        assertEquals("golden retriever", list.get(207).asText());
    }

    @Test
    void generatesAPngGridOfTheRequestedSizeWithItsTiming() throws Exception {
        String body = "{\"checkpoint\": \"digits\", \"num\": 5, \"seed\": 3}";
        HttpResponse<byte[]> r = Http.postJson(url + "api/generate", body);
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        double seconds = Double.parseDouble(r.headers().firstValue(DemoServer.SECONDS_HEADER).orElseThrow());
        assertTrue(seconds > 0 && seconds < 60, "timing header " + seconds);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        Pixels expected = Png.grid(Collections.nCopies(5, new Pixels(8, 8, 1, new byte[64])), 3, 2);
        assertEquals(expected.width(), img.getWidth());
        assertEquals(expected.height(), img.getHeight());
        assertArrayEquals(r.body(), Http.postJson(url + "api/generate", body).body(), "same seed, same image");
        assertFalse(java.util.Arrays.equals(r.body(), Http.postJson(url + "api/generate",
                "{\"checkpoint\": \"digits\", \"num\": 5, \"seed\": 4}").body()), "another seed, another image");
        HttpResponse<byte[]> multi = Http.postJson(url + "api/generate",
                "{\"checkpoint\": \"digits\", \"sampler\": \"multistep\", \"ts\": [0, 20, 39], \"num\": 2, \"ema\": \"online\"}");
        assertEquals(200, multi.statusCode(), Http.text(multi));
        assertTrue(multi.headers().firstValue(DemoServer.DESCRIPTION_HEADER).orElse("").contains("ts [0, 20, 39]"));
        HttpResponse<byte[]> one = Http.postJson(url + "api/generate", "{\"checkpoint\": \"classes\", \"num\": 2, \"class\": 2}");
        assertEquals(200, one.statusCode(), Http.text(one));
        assertEquals(400, Http.postJson(url + "api/generate", "{\"checkpoint\": \"classes\", \"class\": 3}").statusCode(),
                "class outside 0..2");
        HttpResponse<byte[]> heun = Http.postJson(url + "api/generate",
                "{\"checkpoint\": \"teacher\", \"sampler\": \"heun\", \"steps\": 4, \"num\": 2}");
        assertEquals(200, heun.statusCode(), Http.text(heun));
        assertTrue(heun.headers().firstValue(DemoServer.DESCRIPTION_HEADER).orElse("").contains("Heun, 4 steps"));
    }

    @Test
    void inpaintingKeepsTheKnownPixelsAndOtherEditsAnswerPngs() throws Exception {
        byte[] input = png(picture(8, 8, 1, 5));
        byte[] mask = png(lowerHalfMask(8));
        HttpResponse<byte[]> r = Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "inpaint",
                "seed", "1", "repeats", "4", "image", input, "mask", mask));
        assertEquals(200, r.statusCode(), Http.text(r));
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(r.body()));
        BufferedImage in = ImageIO.read(new ByteArrayInputStream(input));
        assertEquals(8, out.getWidth());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(in.getRaster().getSample(x, y, 0), out.getRaster().getSample(x, y, 0), "known pixel " + x + "," + y);
            }
        }
        HttpResponse<byte[]> sr = Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "superres",
                "image", png(picture(4, 4, 1, 2))));
        assertEquals(200, sr.statusCode(), Http.text(sr));
        assertEquals(8, ImageIO.read(new ByteArrayInputStream(sr.body())).getWidth());
        HttpResponse<byte[]> color = Http.postForm(url + "api/edit", Map.of("checkpoint", "rgb", "task", "colorize",
                "image", png(picture(8, 8, 3, 2))));
        assertEquals(200, color.statusCode(), Http.text(color));
        HttpResponse<byte[]> stroke = Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "stroke",
                "image", input));
        assertEquals(200, stroke.statusCode(), Http.text(stroke));
        assertEquals(400, Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "colorize",
                "image", input)).statusCode(), "colorize needs an RGB model");
        assertEquals(400, Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "inpaint",
                "image", input)).statusCode(), "inpaint without a mask");
        assertEquals(400, Http.postForm(url + "api/edit", Map.of("checkpoint", "digits", "task", "inpaint",
                "repeats", "30", "image", input, "mask", mask)).statusCode(), "1 + 4 x 30 evaluations, over the cap");
        assertEquals(400, Http.postForm(url + "api/edit", Map.of("checkpoint", "teacher", "task", "stroke",
                "image", input)).statusCode(), "teachers do not edit");
    }

    @Test
    void aConditionalModelInpaintsWithTheGivenClassOrTriesEveryClassWithinTheCap() throws Exception {
        byte[] input = png(picture(8, 8, 1, 5));
        byte[] mask = png(lowerHalfMask(8));
        HttpResponse<byte[]> given = Http.postForm(url + "api/edit", Map.of("checkpoint", "classes", "task", "inpaint",
                "class", "2", "image", input, "mask", mask));
        assertEquals(200, given.statusCode(), Http.text(given));
        assertEquals("inpaint", given.headers().firstValue(DemoServer.DESCRIPTION_HEADER).orElse(""));
        HttpResponse<byte[]> over = Http.postForm(url + "api/edit", Map.of("checkpoint", "classes", "task", "inpaint",
                "image", input, "mask", mask));
        assertEquals(400, over.statusCode(), "3 classes x (5 + 40) evaluations, over the cap of 100");
        assertTrue(Http.text(over).contains("without a class, trying all 3 costs 135 (send class)"), Http.text(over));
        try (DemoServer s = start(new Limits(1 << 20, 1 << 20, 200, 64, 512, 2, 2), new ModelStudio(checkpoints.toString(), 2))) {
            HttpResponse<byte[]> r = Http.postForm(s.url() + "api/edit", Map.of("checkpoint", "classes", "task",
                    "inpaint", "image", input, "mask", mask));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertTrue(r.headers().firstValue(DemoServer.DESCRIPTION_HEADER).orElse("").matches("inpaint, class [0-2] chosen"),
                    r.headers().toString());
            BufferedImage out = ImageIO.read(new ByteArrayInputStream(r.body()));
            BufferedImage in = ImageIO.read(new ByteArrayInputStream(input));
            for (int x = 0; x < 8; x++) {
                assertEquals(in.getRaster().getSample(x, 0, 0), out.getRaster().getSample(x, 0, 0), "known pixel " + x);
            }
        }
    }

    @Test
    void bindsToLoopbackOnly() throws Exception {
        assertEquals("127.0.0.1", server.host());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2000);
        }
        for (InetAddress a : Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList()) {
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(a, server.port()), 2000),
                        "reachable on " + a);
            }
        }
    }

    @Test
    void pathTraversalIsRefusedWith400AndLogged() throws Exception {
        int before = audit.size();
        String[] names = {"../digits", "..", "/etc/passwd", ".hidden", "digits/../../x", "digits\\\\..", "%2e%2e"};
        for (String n : names) {
            HttpResponse<byte[]> r = Http.postJson(url + "api/generate", "{\"checkpoint\": " + JSON.writeValueAsString(n) + "}");
            assertEquals(400, r.statusCode(), n + ": " + Http.text(r));
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains("plain listed names"), Http.text(r));
            HttpResponse<byte[]> e = Http.postForm(url + "api/edit", Map.of("checkpoint", n, "task", "stroke",
                    "image", png(picture(8, 8, 1, 1))));
            assertEquals(400, e.statusCode(), n);
        }
        assertEquals(2 * names.length, audit.size() - before, "every attempt is logged: " + audit);
        assertTrue(audit.get(audit.size() - 1).startsWith("127.0.0.1"), audit.get(audit.size() - 1));
        assertEquals(404, Http.postJson(url + "api/generate", "{\"checkpoint\": \"nope\"}").statusCode());
    }

    @Test
    void uploadsAreCappedInBytesAndPixelsAndNonImagesRefused() throws Exception {
        Limits small = new Limits(3000, 40 * 40, 100, 64, 512, 2, 2);
        try (DemoServer s = start(small, new ModelStudio(checkpoints.toString(), 2))) {
            String u = s.url() + "api/edit";
            byte[] noisy = png(noise(64, 64));
            assertTrue(noisy.length > 3000, "the test image must exceed the byte cap: " + noisy.length);
            HttpResponse<byte[]> big = Http.postForm(u, Map.of("checkpoint", "digits", "task", "stroke", "image", noisy));
            assertEquals(413, big.statusCode(), Http.text(big));
            assertEquals("close", big.headers().firstValue("connection").orElse("keep-alive"),
                    "a refused upload ends its connection, so the next request does not meet a closed socket");
            byte[] flat = png(picture(100, 100, 1, 0));
            assertTrue(flat.length < 3000, "few bytes, many pixels: " + flat.length);
            HttpResponse<byte[]> wide = Http.postForm(u, Map.of("checkpoint", "digits", "task", "stroke", "image", flat));
            assertEquals(413, wide.statusCode(), Http.text(wide));
            assertTrue(Http.text(wide).contains("pixels"), Http.text(wide));
            HttpResponse<byte[]> text = Http.postForm(u, Map.of("checkpoint", "digits", "task", "stroke",
                    "image", "hello, not a picture".getBytes()));
            assertEquals(400, text.statusCode(), Http.text(text));
            assertTrue(Http.text(text).contains("not a readable image"), Http.text(text));
            assertEquals(200, Http.postForm(u, Map.of("checkpoint", "digits", "task", "stroke",
                    "image", png(picture(8, 8, 1, 0)))).statusCode(), "a small image still passes");
        }
    }

    @Test
    void stepsImagesAndResolutionAreCapped() throws Exception {
        String u = url + "api/generate";
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"sampler\": \"multistep\", \"steps\": 101}").statusCode());
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"sampler\": \"onestep\", \"steps\": 0}").statusCode(),
                "steps: 0 is refused for every sampler");
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"teacher\", \"sampler\": \"heun\", \"steps\": 60}").statusCode(),
                "Heun: 2 evaluations per step");
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"num\": 65}").statusCode());
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"num\": 0}").statusCode());
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"sampler\": \"heun\"}").statusCode(),
                "Heun on a consistency model");
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"class\": 2}").statusCode(), "unconditional");
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"ema\": 0.5}").statusCode(), "no such EMA");
        assertEquals(400, Http.postJson(u, "{\"checkpoint\": \"digits\", \"ema\": 0}").statusCode(),
                "0 is no EMA rate: the online parameters are spelled \"online\"");
        Limits tiny = new Limits(1 << 20, 1 << 20, 100, 64, 4, 2, 2);
        try (DemoServer s = start(tiny, new ModelStudio(checkpoints.toString(), 2))) {
            HttpResponse<byte[]> r = Http.postJson(s.url() + "api/generate", "{\"checkpoint\": \"digits\"}");
            assertEquals(400, r.statusCode());
            assertTrue(Http.text(r).contains("at most 4x4"), Http.text(r));
        }
    }

    @Test
    void oneGenerationPerCheckpointAndABoundedQueueThen429() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Studio slow = new Blocking(new ModelStudio(checkpoints.toString(), 2), entered, release);
        try (DemoServer s = start(new Limits(1 << 20, 1 << 20, 100, 64, 512, 1, 2), slow)) {
            String u = s.url() + "api/generate";
            String body = "{\"checkpoint\": \"digits\", \"num\": 1}";
            CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> post(u, body));
            assertTrue(entered.await(60, TimeUnit.SECONDS), "the first request runs");
            CompletableFuture<HttpResponse<byte[]>> second = CompletableFuture.supplyAsync(() -> post(u, body));
            Thread.sleep(500); // the second one is now waiting in the queue (capacity 1)
            HttpResponse<byte[]> third = post(u, body);
            assertEquals(429, third.statusCode(), Http.text(third));
            assertFalse(second.isDone(), "the queued request waits rather than failing");
            assertEquals(200, post(u, "{\"checkpoint\": \"rgb\", \"num\": 1}").statusCode(), "other checkpoints are not blocked");
            release.countDown();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(200, post(u, body).statusCode(), "free again");
        }
    }

    @Test
    void aFailingRequestNeverTakesTheServerDown() throws Exception {
        HttpResponse<byte[]> broken = Http.postJson(url + "api/generate", "{\"checkpoint\": \"broken\"}");
        assertEquals(500, broken.statusCode(), Http.text(broken));
        assertTrue(JSON.readTree(broken.body()).get("error").asText().contains("damaged checkpoint"), Http.text(broken));
        assertEquals(400, Http.postJson(url + "api/generate", "{not json").statusCode());
        assertEquals(400, Http.postJson(url + "api/generate", "[1, 2]").statusCode());
        assertEquals(400, Http.postJson(url + "api/generate", "{\"checkpoint\": \"digits\", \"stepz\": 2}").statusCode());
        assertEquals(400, Http.postJson(url + "api/generate", "{\"checkpoint\": \"digits\", \"seed\": \"x\"}").statusCode());
        assertEquals(400, Http.postJson(url + "api/edit", "{}").statusCode(), "edit wants multipart");
        assertEquals(200, Http.postJson(url + "api/generate", "{\"checkpoint\": \"digits\", \"num\": 1}").statusCode(),
                "still serving");
    }

    private static HttpResponse<byte[]> post(String u, String body) {
        try {
            return Http.postJson(u, body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds every digits generation until released (to fill the gate deterministically). */
    private record Blocking(Studio inner, CountDownLatch entered, CountDownLatch release) implements Studio {
        @Override
        public List<CheckpointInfo> checkpoints() throws IOException {
            return inner.checkpoints();
        }

        @Override
        public CheckpointInfo checkpoint(String name) throws IOException {
            return inner.checkpoint(name);
        }

        @Override
        public Rendered generate(CheckpointInfo c, Weights ema, SampleSpec spec) throws IOException {
            if (c.name().equals("digits")) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inner.generate(c, ema, spec);
        }

        @Override
        public Rendered edit(CheckpointInfo c, Weights ema, EditSpec spec, Pixels image, Pixels mask) throws IOException {
            return inner.edit(c, ema, spec, image, mask);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    static BufferedImage picture(int w, int h, int channels, int seed) {
        BufferedImage img = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 29 + y * 13 + seed * 50) % 256;
                img.setRGB(x, y, (v << 16) | (((v * 3) % 256) << 8) | ((v * 7) % 256));
            }
        }
        return img;
    }

    static BufferedImage lowerHalfMask(int side) {
        BufferedImage m = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = side / 2; y < side; y++) {
            for (int x = 0; x < side; x++) {
                m.getRaster().setSample(x, y, 0, 255);
            }
        }
        return m;
    }

    static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
