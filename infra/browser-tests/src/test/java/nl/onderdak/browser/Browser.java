package nl.onderdak.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}), started the
 * way this machine needs (no sandbox as root, no background networking: the network is closed), plus
 * the two things every test here uses: screenshots and the axe-core accessibility check.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Skips the test class when Chromium is absent, except where a browser is required (CI, or
   * {@code ONDERDAK_REQUIRE_BROWSER=true}, which {@code .ci/run} sets after installing it).
   */
  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    boolean required = "true".equalsIgnoreCase(System.getenv("CI"))
        || "true".equalsIgnoreCase(System.getenv("ONDERDAK_REQUIRE_BROWSER"));
    if (!present && required) {
      fail("the browser tests must run here: install Debian's chromium and chromium-driver (.ci/run does)");
    }
    Assumptions.assumeTrue(present, "no /usr/bin/chromium and /usr/bin/chromedriver: browser tests skipped "
        + "(apt-get install chromium chromium-driver)");
  }

  static Browser start(String acceptLanguage) {
    try {
      Path profile = Files.createTempDirectory("onderdak-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--lang=" + acceptLanguage,
          "--window-size=1024,900");
      options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The viewport (not the window) this many CSS pixels wide, as on a small phone. */
  void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
        "width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      // The whole page, not only the viewport: a reviewer sees the full form.
      Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
      Path file = SCREENSHOTS.resolve(name + ".png");
      if (size != null) {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
            "format", "png", "captureBeyondViewport", true,
            "clip", Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
                "height", ((Number) size.get("height")).doubleValue(), "scale", 1)));
        Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
      } else {
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** axe-core's violations of WCAG 2.0/2.1 A and AA with impact serious or critical, described. */
  List<String> seriousAccessibilityViolations() {
    js(axeSource());
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done({ violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) })) }))
          .catch(e => done({ error: String(e) }));
        """);
    if (result.containsKey("error")) {
      throw new IllegalStateException("axe failed: " + result.get("error"));
    }
    List<String> serious = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> violations = (List<Map<String, Object>>) result.get("violations");
    for (Map<String, Object> v : violations) {
      if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
        serious.add(v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " at " + v.get("nodes"));
      }
    }
    return serious;
  }

  private static String axe;

  private static synchronized String axeSource() {
    if (axe == null) {
      try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
        if (in == null) {
          throw new IllegalStateException("axe.min.js is not on the test classpath");
        }
        axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return axe;
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A left-over temporary profile is harmless.
    }
  }

}
