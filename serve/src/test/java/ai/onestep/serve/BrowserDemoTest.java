package ai.onestep.serve;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo as a person uses it: Debian's Chromium, headless, driven through Selenium and chromedriver. Generates a grid,
 * compares with a teacher, then inpaints a region drawn with the mouse; screenshots go to target/screenshots/.
 * Without Chromium this test fails and says how to install it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserDemoTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    @TempDir
    static Path tmp;
    DemoServer server;
    WebDriver driver;

    @BeforeAll
    void serverAndBrowser() throws IOException {
        String chromium = firstExecutable(System.getenv("ONESTEP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
        String chromedriver = firstExecutable(System.getenv("ONESTEP_CHROMEDRIVER"), "/usr/bin/chromedriver");
        if (chromium == null || chromedriver == null) {
            fail("Chromium and chromedriver are needed for the browser test (not found: " + (chromium == null ? "chromium " : "")
                    + (chromedriver == null ? "chromedriver" : "") + "). Install them with: apt-get install chromium "
                    + "chromium-driver (or set ONESTEP_CHROMIUM / ONESTEP_CHROMEDRIVER)");
        }
        Path checkpoints = Files.createDirectories(tmp.resolve("checkpoints"));
        Fixtures.run(checkpoints, "digits", 3);
        Fixtures.run(checkpoints, "teacher", 2, "method.kind=edm");
        Fixtures.run(checkpoints, "classes", 1, "network.unet.numClasses=3");
        // the default caps, but 200 network evaluations per image: room for trying the 3 classes (3 x (5 + 40))
        Limits limits = new Limits(4L << 20, 2048L * 2048, 200, 64, 512, 2, 4);
        server = DemoServer.start(new ModelStudio(checkpoints.toString(), 4), limits, "127.0.0.1", 0, (a, b) -> { });
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void generateThenInpaintADrawnRegion() throws Exception {
        driver.get(server.url() + "?tab=generate&checkpoint=digits&num=4&seed=2");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        assertEquals("digits", new Select(driver.findElement(By.id("gen-checkpoint"))).getFirstSelectedOption().getText());
        driver.findElement(By.id("gen-go")).click();
        byte[] shown = imageBytes(wait, "gen-image");
        Pixels grid = decode(shown);
        Pixels expected = Png.grid(Collections.nCopies(4, new Pixels(8, 8, 1, new byte[64])), 2, 2);
        assertEquals(expected.width(), grid.width());
        assertEquals(expected.height(), grid.height());
        byte[] api = Http.postJson(server.url() + "api/generate",
                "{\"checkpoint\": \"digits\", \"num\": 4, \"seed\": 2, \"ema\": 0.99}").body();
        assertArrayEquals(api, shown, "the page shows what the API returns for the same settings");
        String address = driver.getCurrentUrl();
        assertTrue(address.contains("checkpoint=digits") && address.contains("seed=2") && address.contains("num=4"), address);
        assertTrue(driver.findElement(By.id("gen-results")).getText().contains("model"), "timing shown");
        screenshot("generate.png");

        driver.findElement(By.id("gen-compare")).click();
        new Select(driver.findElement(By.id("gen-teacher"))).selectByValue("teacher");
        WebElement steps = driver.findElement(By.id("gen-teacher-steps"));
        steps.clear();
        steps.sendKeys("3");
        driver.findElement(By.id("gen-go")).click();
        decode(imageBytes(wait, "gen-teacher-image"));
        assertTrue(driver.findElement(By.id("gen-results")).getText().contains("Heun 3 steps"),
                driver.findElement(By.id("gen-results")).getText());
        assertTrue(driver.getCurrentUrl().contains("compare=1"), driver.getCurrentUrl());
        screenshot("compare.png");

        driver.findElement(By.id("tab-edit")).click();
        new Select(driver.findElement(By.id("edit-checkpoint"))).selectByValue("digits");
        new Select(driver.findElement(By.id("edit-task"))).selectByValue("inpaint");
        WebElement canvas = driver.findElement(By.id("edit-mask"));
        int w = canvas.getSize().getWidth();
        int h = canvas.getSize().getHeight();
        new Actions(driver).moveToElement(canvas, -w / 2 + 10, h / 4).clickAndHold()
                .moveByOffset(w / 3, 0).moveByOffset(w / 3, 5).moveByOffset(0, h / 5).release().perform();
        driver.findElement(By.id("edit-go")).click();
        Pixels result = decode(imageBytes(wait, "edit-image"));
        assertEquals(8, result.width());
        assertEquals(8, result.height());
        WebElement box = driver.findElement(By.id("edit-result"));
        Pixels input = decode(dataUrl(box.getAttribute("data-input"))).withChannels(1);
        Pixels mask = decode(dataUrl(box.getAttribute("data-mask"))).withChannels(1);
        int regenerate = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                if (mask.at(y, x, 0) >= 128) {
                    regenerate++;
                } else {
                    assertEquals(input.at(y, x, 0), result.at(y, x, 0), "a pixel outside the drawn mask at " + x + "," + y);
                }
            }
        }
        assertTrue(regenerate > 0 && regenerate < 64, "the drawn mask covers part of the image: " + regenerate);
        assertTrue(driver.getCurrentUrl().contains("tab=edit") && driver.getCurrentUrl().contains("task=inpaint"));
        screenshot("inpaint.png");

        // an uploaded picture, painted on, then stroke-guided editing
        Path upload = tmp.resolve("upload.png");
        Files.write(upload, DemoServerTest.png(DemoServerTest.picture(40, 30, 3, 4)));
        new Select(driver.findElement(By.id("edit-task"))).selectByValue("stroke");
        driver.findElement(By.id("edit-upload")).sendKeys(upload.toAbsolutePath().toString());
        wait.until(d -> !String.valueOf(((JavascriptExecutor) d).executeScript(
                "return document.getElementById('edit-canvas').toDataURL()")).equals(box.getAttribute("data-input")));
        String before = String.valueOf(((JavascriptExecutor) driver).executeScript(
                "return document.getElementById('edit-canvas').toDataURL()"));
        new Actions(driver).moveToElement(canvas, 0, 0).clickAndHold().moveByOffset(w / 4, h / 4).release().perform();
        assertTrue(!before.equals(((JavascriptExecutor) driver).executeScript(
                "return document.getElementById('edit-canvas').toDataURL()")), "the stroke is painted on the image");
        driver.findElement(By.id("edit-go")).click();
        wait.until(d -> d.findElement(By.id("edit-caption")).getText().startsWith("stroke"));
        Pixels stroked = decode(imageBytes(wait, "edit-image"));
        assertEquals(8, stroked.width());
        assertTrue(driver.getCurrentUrl().contains("task=stroke"), driver.getCurrentUrl());
        screenshot("stroke.png");

        // a class-conditional checkpoint: a class, or let the server choose it (the caption names the choice)
        assertTrue(!driver.findElement(By.id("edit-class-label")).isDisplayed(), "no class for an unconditional model");
        new Select(driver.findElement(By.id("edit-checkpoint"))).selectByValue("classes");
        new Select(driver.findElement(By.id("edit-task"))).selectByValue("inpaint");
        Select cls = new Select(driver.findElement(By.id("edit-class")));
        assertEquals(java.util.List.of("0", "1", "2", ""), cls.getOptions().stream().map(o -> o.getAttribute("value")).toList());
        cls.selectByValue("");
        driver.findElement(By.id("edit-go")).click();
        wait.until(d -> d.findElement(By.id("edit-caption")).getText().matches("inpaint, class [0-2] chosen: .*"));
        assertTrue(driver.getCurrentUrl().contains("class=choose"), driver.getCurrentUrl());
        new Select(driver.findElement(By.id("edit-class"))).selectByValue("1");
        driver.findElement(By.id("edit-go")).click();
        wait.until(d -> d.findElement(By.id("edit-caption")).getText().startsWith("inpaint: "));
        assertTrue(driver.getCurrentUrl().contains("class=1"), driver.getCurrentUrl());
    }

    private byte[] imageBytes(WebDriverWait wait, String id) {
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "const i = document.getElementById(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;", id)));
        Object b64 = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById(arguments[0]).src).then(r => r.arrayBuffer()).then(buf => {"
                        + "  let s = ''; const a = new Uint8Array(buf); for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);"
                        + "  done(btoa(s)); }).catch(e => done('ERROR ' + e));", id);
        assertTrue(!String.valueOf(b64).startsWith("ERROR"), String.valueOf(b64));
        return Base64.getDecoder().decode((String) b64);
    }

    private static byte[] dataUrl(String url) {
        assertTrue(url != null && url.startsWith("data:image/png;base64,"), String.valueOf(url));
        return Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
    }

    private static Pixels decode(byte[] png) throws Exception {
        return new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS).decode(png, "shown.png").pixels();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static String firstExecutable(String... candidates) {
        for (String c : candidates) {
            if (c != null && Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }
}
