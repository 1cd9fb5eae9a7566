package nl.onderdak.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.DemoData;
import nl.onderdak.local.LocalRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The local operator page in headless Chromium, after demo data went in through the API: the funnel, the
 * regions and the targets drawn, the alarms shown, readable with a screen reader (axe), usable on a phone.
 * Screenshots: {@code target/screenshots/09-ops-1280px.png} and {@code 10-ops-320px.png}.
 */
class OperatorPageBrowserTest {
  private static final String ADMIN = "ops-browser-admin";
  private static LocalRuntime runtime;
  private static Browser browser;
  private static String base;
  private static DemoData.Summary demo;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireChromium();
    runtime = LocalRuntime.start(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, ADMIN));
    base = "http://localhost:" + runtime.httpPort();
    demo = new DemoData(base, ADMIN, 11).load(60, 50);
    runtime.fireSchedule("StayWatchFunction.Hourly"); // the stays' clock, once: its gauges per province
    browser = Browser.start("en-GB");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  private static void openWith(String token) {
    browser.driver.get(base + "/ops" + (token == null ? "" : "#token=" + token));
  }

  @Test
  void aCoordinatorSeesTheFunnelTheRegionsAndTheTargets() {
    browser.viewport(1280, 900);
    openWith(ADMIN);
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(d -> "true".equals(browser.js("return document.body.dataset.loaded || ''")));

    // The funnel's bars carry the figures of what the demo did.
    String funnel = browser.driver.findElement(By.id("funnel")).getText();
    assertTrue(funnel.contains("Households registered") && funnel.contains(Integer.toString(demo.households())), funnel);
    assertTrue(funnel.contains(Integer.toString(demo.placed())), funnel);
    // Twelve provinces in the supply-and-demand table, each with its figures.
    List<WebElement> provinces = browser.driver.findElements(By.cssSelector("#regions tbody tr"));
    assertEquals(12, provinces.size());
    // The demo loaded targets for every province and its biggest city: 24 rows with a target.
    List<WebElement> targets = browser.driver.findElements(By.cssSelector("#targets tbody tr"));
    long withTarget = targets.stream().filter(r -> !r.findElements(By.tagName("td")).get(1).getText().equals("–")).count();
    assertEquals(24, withTarget);
    // The eight alarms, all quiet after a run without faults (every case of the demo has its organisations).
    List<WebElement> alarms = browser.driver.findElements(By.cssSelector("#alarms li"));
    assertEquals(8, alarms.size());
    assertTrue(alarms.stream().allMatch(a -> a.getAttribute("class").contains("ok")));
    // The chain: the consortium's five organisations, what each holds, and the handovers the demo made.
    List<WebElement> organisations = browser.driver.findElements(By.cssSelector("#organisations tbody tr"));
    assertEquals(5, organisations.size());
    String chain = browser.driver.findElement(By.id("organisations")).getText();
    assertTrue(chain.contains("Guest support Randstad") && chain.contains("Aid organisation South")
        && chain.contains("Introductions Netherlands"), chain);
    long refusedShown = organisations.stream().mapToLong(r -> Long.parseLong(
        r.findElements(By.tagName("td")).get(4).getText().replace(",", ""))).sum();
    assertEquals(demo.refused(), refusedShown, "the refused handovers, as the demo made them");
    assertTrue(browser.driver.findElement(By.id("unassigned")).getText().startsWith("Every open case"),
        browser.driver.findElement(By.id("unassigned")).getText());
    assertTrue(browser.driver.findElements(By.cssSelector("#steps tbody tr")).size() >= 4);
    // Stays: the clock's gauges for every province, and the introductions the demo recorded.
    assertEquals(12, browser.driver.findElements(By.cssSelector("#stays tbody tr")).size());
    String stays = browser.driver.findElement(By.id("stay-figures")).getText();
    assertTrue(stays.contains("Introductions: go"), stays);
    // Charts are drawn (SVG with a text alternative).
    assertTrue(browser.driver.findElements(By.cssSelector("#funnel svg[role=img][aria-label]")).size() == 1);
    assertTrue(browser.driver.findElements(By.cssSelector("#regions-chart svg rect")).size() >= 24);

    List<String> violations = browser.seriousAccessibilityViolations();
    assertTrue(violations.isEmpty(), String.join("\n", violations));
    browser.screenshot("09-ops-1280px");

    browser.viewport(320, 640);
    openWith(null); // the token stays in the tab's session: a reload needs no link
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(d -> "true".equals(browser.js("return document.body.dataset.loaded || ''")));
    long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
    assertTrue(scrollWidth <= 320, "the page scrolls sideways on a phone: " + scrollWidth);
    browser.screenshot("10-ops-320px");
  }

  @Test
  void withoutTheTokenThePageShowsNoFiguresAndSaysWhatToDo() {
    try (Browser stranger = Browser.start("en-GB")) {
      stranger.driver.get(base + "/ops");
      new WebDriverWait(stranger.driver, Duration.ofSeconds(15))
          .until(d -> !d.findElement(By.id("problem")).getText().isEmpty());
      assertTrue(stranger.driver.findElement(By.id("problem")).getText().contains("link the local runtime printed"));
      assertEquals(0, stranger.driver.findElements(By.cssSelector("#regions tbody tr")).size());
    }
  }
}
