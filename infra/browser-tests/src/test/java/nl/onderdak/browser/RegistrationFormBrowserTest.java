package nl.onderdak.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import nl.onderdak.infra.template.SamTemplate;
import nl.onderdak.local.LocalRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The public form as people use it: in headless Chromium, phone-sized, against the local runtime
 * started from the project's template, with what it stored read back from DynamoDB Local.
 * Screenshots land in {@code infra/browser-tests/target/screenshots/}.
 */
class RegistrationFormBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalRuntime runtime;
  private static SamTemplate template;
  private static String base;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireChromium();
    template = SamTemplate.load(SamTemplate.locateFile());
    // FormMinFillSeconds=0: the tests fill the form faster than a person; the wait itself is RegistrationRoutesTest's.
    runtime = LocalRuntime.start(new LocalRuntime.Config(SamTemplate.locateFile(), 0, 0, null, "browser-admin")
        .withParameter("FormMinFillSeconds", "0"));
    base = "http://localhost:" + runtime.httpPort();
    // The browser's own language is English; each test picks the page's language as a person would.
    browser = Browser.start("en-US");
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

  // ------------------------------------------------------------------ the tests

  @ParameterizedTest
  @ValueSource(strings = {"nl", "en", "uk", "ru"})
  void aHouseholdRegistersOnAPhoneInEachLanguageAndSeesItsStatus(String lang) {
    JsonNode t = strings(lang);
    browser.viewport(320, 720);
    open("/?lang=" + lang);
    assertEquals(lang, browser.js("return document.documentElement.lang"));
    assertEquals(t.get("page.title").asText(), text(By.tagName("h1")));
    assertFitsWidth(320);
    browser.screenshot("01-start-" + lang + "-320px");

    choose("guest");
    assertEquals(t.get("form.guest.title").asText(), text(By.id("form-title")));
    assertEquals(t.get("field.adults.label").asText(), text(By.cssSelector("label[for='f-adults'] span")));
    String email = "olena." + UUID.randomUUID() + "@example.org";
    fillGuest("Олена Коваленко", email);
    assertFitsWidth(320);
    browser.screenshot("02-guest-filled-" + lang + "-320px");
    assertNoSeriousAccessibilityViolations("filled guest form (" + lang + ")");

    click(By.id("submit"));
    waitVisible(By.id("done"));
    assertEquals(t.get("done.title").asText(), text(By.id("done-title")));
    String id = text(By.id("reference"));
    assertFitsWidth(320);
    browser.screenshot("03-done-" + lang + "-320px");
    assertNoSeriousAccessibilityViolations("confirmation (" + lang + ")");

    // In DynamoDB: the case, in the language the person chose to be contacted in, with their details apart.
    Map<String, AttributeValue> stored = personalData(email);
    assertEquals(id, stored.get("caseId").s());
    assertEquals("Олена Коваленко", stored.get("contact").m().get("name").s());
    Map<String, AttributeValue> item = caseItem(id);
    assertEquals("guest", item.get("kind").s());
    assertEquals(lang, item.get("preferredLanguage").s());

    click(By.id("status-link"));
    waitReady();
    assertEquals(t.get("status.title").asText(), text(By.tagName("h1")));
    assertEquals(t.get("status.guest.open").asText(), text(By.id("status-value")));
    assertTrue(text(By.id("status")).contains(id));
    assertFitsWidth(320);
    browser.screenshot("04-status-" + lang + "-320px");
    assertNoSeriousAccessibilityViolations("status page (" + lang + ")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nl", "en", "uk", "ru"})
  void aHostRegistersOnAPhoneInEachLanguageAndTheOfferWaitsForScreening(String lang) {
    JsonNode t = strings(lang);
    browser.viewport(320, 720);
    open("/?lang=" + lang);
    choose("host");
    String email = "jan." + UUID.randomUUID() + "@example.org";
    type("f-contact-name", "Jan de Vries");
    type("f-contact-email", email);
    type("f-contact-phone", "06 1234 5678");
    type("f-address-street", "Oudegracht");
    type("f-address-houseNumber", "12a");
    type("f-address-postcode", "3511ab");
    type("f-address-city", "Utrecht");
    selectByValue("f-address-province", "PV26");
    type("f-beds", "3");
    type("f-rooms", "2");
    click(By.id("f-separateRoom-true"));
    click(By.id("f-childrenWelcome-true"));
    click(By.id("f-petsWelcome-false"));
    click(By.id("f-stepFreeAccess-false"));
    click(By.id("f-smokingInHome-false"));
    click(By.id("f-languages-nl"));
    click(By.id("f-languages-en"));
    typeDate("f-availableFrom", LocalDate.now());
    typeDate("f-availableUntil", LocalDate.now().plusMonths(3));
    click(By.id("f-consentToShare"));
    assertFitsWidth(320);
    browser.screenshot("05-host-filled-" + lang + "-320px");
    assertNoSeriousAccessibilityViolations("filled host form (" + lang + ")");
    click(By.id("submit"));
    waitVisible(By.id("done"));
    assertEquals(t.get("done.next.host").asText(), browser.driver.findElement(By.cssSelector("#done .panel p:nth-of-type(3)")).getText());
    String id = text(By.id("reference"));
    Map<String, AttributeValue> item = caseItem(id);
    assertEquals("host", item.get("kind").s());
    assertEquals("screening", item.get("status").s());
    Map<String, AttributeValue> stored = personalData(email);
    // The form normalised what people type the way the server expects it.
    assertEquals("+31612345678", stored.get("contact").m().get("phone").s());
    assertEquals("3511 AB", stored.get("address").m().get("postcode").s());
    click(By.id("status-link"));
    waitReady();
    assertEquals(t.get("status.host.screening").asText(), text(By.id("status-value")));
  }

  @Test
  void aHouseholdSeesWhichOrganisationHelpsItAndHowToReachIt() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.BiFunction<String, String[], String> admin = (path, methodAndBody) -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
            .header("Authorization", "Bearer browser-admin").header("content-type", "application/json")
            .method(methodAndBody[0], java.net.http.HttpRequest.BodyPublishers.ofString(methodAndBody[1])).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    String partner = JSON.readTree(admin.apply("/admin/partners", new String[] {"POST",
        "{\"name\":\"Welkom Utrecht\",\"roles\":[\"guest_support\",\"placement_review\"],\"regions\":[\"PV26\"]}"}))
        .get("partnerId").asText();
    assertTrue(admin.apply("/admin/partners/" + partner + "/contact", new String[] {"PUT",
        "{\"phone\":\"030 123 4567\",\"email\":\"desk@welkom-utrecht.example\"}"}).contains("+31301234567"));
    JsonNode t = strings("en");
    browser.viewport(320, 720);
    open("/?lang=en");
    choose("guest");
    fillGuest("Olena Kovalenko", "olena." + UUID.randomUUID() + "@example.org");
    click(By.id("submit"));
    waitVisible(By.id("done"));
    click(By.id("status-link"));
    waitReady();
    String who = text(By.id("organisation"));
    assertTrue(who.contains(t.get("status.organisation.title").asText()) && who.contains("Welkom Utrecht")
        && who.contains("+31301234567") && who.contains("desk@welkom-utrecht.example"), who);
    assertNoSeriousAccessibilityViolations("status page with its organisation (en)");

    // The household corrects its phone number: a wrong email first is named at its field, nothing saved.
    click(By.id("correct-open"));
    waitVisible(By.id("correct-form"));
    type("c-contact.name", "Olena Kovalenko");
    type("c-contact.email", "not-an-email");
    click(By.id("correct-save"));
    waitVisible(By.id("c-contact.email-error"));
    assertEquals("true", browser.driver.findElement(By.id("c-contact.email")).getAttribute("aria-invalid"));
    assertNoSeriousAccessibilityViolations("correction with an error (en)");
    browser.driver.findElement(By.id("c-contact.email")).clear();
    type("c-contact.email", "olena." + UUID.randomUUID() + "@example.org");
    type("c-contact.phone", "06 1234 5678");
    click(By.id("correct-save"));
    waitVisible(By.id("correct-done"));
    assertEquals(t.get("status.correct.done").asText(), text(By.id("correct-done")));
  }

  @Test
  void aHouseholdWithdrawsItselfFromItsStatusPage() {
    JsonNode t = strings("uk");
    browser.viewport(320, 720);
    open("/?lang=uk");
    choose("guest");
    fillGuest("Олена Коваленко", "olena." + UUID.randomUUID() + "@example.org");
    click(By.id("submit"));
    waitVisible(By.id("done"));
    String id = text(By.id("reference"));
    click(By.id("status-link"));
    waitReady();
    assertEquals(t.get("status.withdraw.title").asText(), text(By.id("withdraw-title")));
    click(By.id("withdraw-open"));
    waitVisible(By.id("withdraw-form"));
    click(By.id("withdraw-confirm"));
    waitVisible(By.id("withdraw-error"));
    assertEquals(t.get("status.withdraw.choose").asText(), text(By.id("withdraw-error")), "a reason first");
    assertEquals("open", caseItem(id).get("status").s(), "nothing sent without a reason");
    assertFitsWidth(320);
    assertNoSeriousAccessibilityViolations("withdrawal on the status page (uk)");
    browser.screenshot("05-withdraw-uk-320px");

    click(By.id("withdraw-found_own_place"));
    click(By.id("withdraw-confirm"));
    waitVisible(By.id("withdraw-done"));
    assertEquals(t.get("status.guest.withdrawn").asText(), text(By.id("status-value")));
    assertEquals(t.get("status.withdraw.done").asText(), text(By.id("withdraw-done")));
    assertEquals("withdrawn", caseItem(id).get("status").s());
    assertTrue(browser.driver.findElements(By.id("withdraw")).isEmpty(), "nothing more to withdraw");
    // Opened again later, the page says the same.
    browser.driver.navigate().refresh();
    waitReady();
    assertEquals(t.get("status.guest.withdrawn").asText(), text(By.id("status-value")));
  }

  @Test
  void aRobotThatFillsTheHiddenFieldIsToldNothingAndHeldOutOfMatching() {
    browser.viewport(400, 800);
    open("/?lang=nl");
    choose("guest");
    fillGuest("Robot", "robot." + UUID.randomUUID() + "@example.org");
    assertEquals("-1", browser.driver.findElement(By.id("f-website")).getAttribute("tabindex"));
    browser.js("document.getElementById('f-website').value = 'http://spam.example';");
    long before = caseCount();
    click(By.id("submit"));
    // The same thank-you as a person gets (the server, not the page, decides): nothing for a script to learn.
    waitVisible(By.id("done"));
    String id = text(By.id("reference"));
    assertEquals(before + 1, caseCount(), "kept: a person whose browser filled it in loses nothing");
    Map<String, AttributeValue> held = runtime.dynamoDb().client().getItem(b -> b
        .tableName(template.physicalName("CasesTable"))
        .key(Map.of("pk", AttributeValue.fromS("CASE#" + id), "sk", AttributeValue.fromS("CASE")))
        .consistentRead(true)).item();
    assertEquals("form_honeypot", held.get("quarantine").m().get("reason").s());
    assertTrue(held.get("poolKey").s().startsWith("quarantine#guest#"), held.get("poolKey").s());
  }

  @Test
  void wrongAnswersAreNamedNextToTheirFieldsInThePersonsLanguage() {
    JsonNode t = strings("uk");
    browser.viewport(320, 720);
    open("/?lang=uk");
    choose("guest");
    type("f-contact-name", "Тарас");
    type("f-contact-email", "not-an-address");
    type("f-adults", "0");
    type("f-children", "1");
    type("f-children-0-age", "19");
    click(By.id("submit"));
    waitVisible(By.id("summary"));
    // Focus moves to the summary, which lists every problem as a link to its field.
    assertEquals("summary", browser.js("return document.activeElement.id"));
    assertEquals(t.get("error.contact.email.invalid_format").asText(), text(By.id("f-contact-email-error")));
    assertEquals("true", browser.driver.findElement(By.id("f-contact-email")).getAttribute("aria-invalid"));
    assertTrue(browser.driver.findElement(By.id("f-contact-email")).getAttribute("aria-describedby")
        .contains("f-contact-email-error"));
    assertEquals(t.get("error.out_of_range").asText().replace("{min}", "1").replace("{max}", "20"),
        text(By.id("f-adults-error")));
    assertEquals(t.get("error.children.age.out_of_range").asText(), text(By.id("f-children-0-age-error")));
    assertEquals(t.get("error.must_be_true").asText(), text(By.id("f-consentToShare-error")));
    assertEquals(t.get("error.missing").asText(), text(By.id("f-smoker-error")));
    int problems = browser.driver.findElements(By.cssSelector("#summary li")).size();
    assertEquals(t.get("error.summary.many").asText().replace("{n}", Integer.toString(problems)),
        text(By.cssSelector("#summary h2")));
    assertFitsWidth(320);
    browser.screenshot("06-errors-uk-320px");
    assertNoSeriousAccessibilityViolations("form with errors (uk)");

    // Switching language keeps the answers and translates the errors.
    click(By.cssSelector("#languages button[lang='ru']"));
    waitUntil(d -> "ru".equals(browser.js("return document.documentElement.lang")));
    assertEquals(strings("ru").get("error.contact.email.invalid_format").asText(), text(By.id("f-contact-email-error")));
    assertEquals("Тарас", browser.driver.findElement(By.id("f-contact-name")).getAttribute("value"));
  }

  @Test
  void theServersFieldErrorsAreShownWhenTheyReachIt() {
    // ?checks=server leaves every check to the server, as when the form and the API disagree.
    JsonNode t = strings("ru");
    browser.viewport(320, 720);
    open("/?lang=ru&checks=server");
    choose("guest");
    type("f-contact-name", "Иван");
    type("f-contact-phone", "12");
    long before = caseCount();
    click(By.id("submit"));
    waitVisible(By.id("summary"));
    assertEquals(t.get("error.contact.phone.invalid_format").asText(), text(By.id("f-contact-phone-error")));
    assertEquals(t.get("error.missing").asText(), text(By.id("f-adults-error")));
    assertEquals(t.get("error.preferredRegions.missing").asText(), text(By.id("f-preferredRegions-error")));
    assertEquals(t.get("error.must_be_true").asText(), text(By.id("f-consentToShare-error")));
    assertEquals(before, caseCount(), "a refused registration stores nothing");
    browser.screenshot("07-server-errors-ru-320px");
  }

  @Test
  void aDoubleClickOrALostAnswerNeverRegistersTwice() {
    browser.viewport(400, 800);
    open("/?lang=en");
    choose("guest");
    String email = "twice." + UUID.randomUUID() + "@example.org";
    fillGuest("Iryna Twice", email);
    // The first request reaches the server, but its answer is lost on the way back (a flaky connection).
    browser.js("""
        const realFetch = window.fetch;
        window.posts = [];
        window.fetch = function (url, options) {
          if (options && options.method === 'POST' && url.indexOf('/registrations/tickets') < 0) {
            window.posts.push(options.headers['idempotency-key']);
            if (window.posts.length === 1) {
              return realFetch(url, options).then(() => { throw new TypeError('connection lost'); });
            }
          }
          return realFetch(url, options);
        };
        """);
    // A double click: the second click while the first is on its way sends nothing.
    browser.js("const b = document.getElementById('submit'); b.click(); b.click();");
    waitVisible(By.id("general-error"));
    assertEquals(strings("en").get("error.network").asText(), text(By.id("general-error")));
    // The person tries again: the same key, so the server answers with the first registration.
    click(By.id("submit"));
    waitVisible(By.id("done"));
    @SuppressWarnings("unchecked")
    List<String> keys = (List<String>) browser.js("return window.posts");
    assertEquals(2, keys.size(), "one request per deliberate submit, none for the double click");
    assertEquals(keys.get(0), keys.get(1));
    Map<String, AttributeValue> stored = personalData(email);
    assertEquals(text(By.id("reference")), stored.get("caseId").s());
  }

  @Test
  void aPersonCanRegisterWithTheKeyboardAlone() {
    browser.viewport(320, 720);
    open("/?lang=en");
    String email = "keys." + UUID.randomUUID() + "@example.org";
    Actions keys = new Actions(browser.driver);
    tabUntil(e -> "guest".equals(e.getAttribute("data-kind")));
    keys.sendKeys(Keys.ENTER).perform();
    waitVisible(By.id("register"));
    assertEquals("form-title", browser.js("return document.activeElement.id"));
    Set<String> done = new HashSet<>();
    for (int step = 0; step < 200; step++) {
      keys.sendKeys(Keys.TAB).perform();
      String id = (String) browser.js("return document.activeElement.id");
      if (!done.add(id)) {
        continue; // moving through the parts of a date field
      }
      switch (id) {
        case "f-contact-name" -> keys.sendKeys("Kateryna Keys").perform();
        case "f-contact-email" -> keys.sendKeys(email).perform();
        case "f-adults" -> keys.sendKeys("1").perform();
        case "f-children" -> keys.sendKeys("1").perform();
        case "f-children-0-age" -> keys.sendKeys("4").perform();
        // The first option of a yes/no group has focus: space answers yes, an arrow moves to no.
        case "f-stepFreeAccessNeeded-true", "f-smoker-true" -> keys.sendKeys(Keys.ARROW_DOWN).perform();
        case "f-acceptsOtherRegions-true", "f-languages-uk", "f-preferredRegions-PV27", "f-consentToShare" ->
            keys.sendKeys(Keys.SPACE).perform();
        case "f-neededFrom" -> keys.sendKeys(usDate(LocalDate.now())).perform();
        default -> { }
      }
      if (id.equals("submit")) {
        browser.screenshot("08-keyboard-before-submit-320px");
        keys.sendKeys(Keys.ENTER).perform();
        break;
      }
    }
    waitVisible(By.id("done"));
    assertEquals("done-title", browser.js("return document.activeElement.id"), "focus moves to the confirmation");
    Map<String, AttributeValue> stored = personalData(email);
    Map<String, AttributeValue> item = caseItem(stored.get("caseId").s());
    assertEquals("guest", item.get("kind").s());
    tabUntil(e -> "status-link".equals(e.getAttribute("id")));
    keys.sendKeys(Keys.ENTER).perform();
    waitReady();
    assertEquals(strings("en").get("status.guest.open").asText(), text(By.id("status-value")));
  }

  @Test
  void theFormSpeaksTheBrowsersLanguageWithoutBeingAsked() {
    try (Browser ukrainian = Browser.start("uk-UA")) {
      ukrainian.driver.get(base + "/");
      new WebDriverWait(ukrainian.driver, Duration.ofSeconds(10))
          .until(d -> "true".equals(ukrainian.js("return document.body.dataset.ready || ''")));
      assertEquals("uk", ukrainian.js("return document.documentElement.lang"));
      assertEquals(strings("uk").get("page.title").asText(), ukrainian.driver.findElement(By.tagName("h1")).getText());
      assertEquals("true", ukrainian.driver.findElement(By.cssSelector("#languages button[lang='uk']"))
          .getAttribute("aria-pressed"));
      // A first visit, nothing cached: what a person on a poor connection downloads.
      assertPageWeight(ukrainian, "uk");
    }
  }

  @Test
  void theAccessibilityCheckItselfCatchesAnUnlabelledField() {
    // So that "no violations" above means something: the same check on a page with a known fault.
    open("/?lang=en");
    browser.js("const i = document.createElement('input'); i.type = 'text'; document.querySelector('main').appendChild(i);");
    List<String> violations = browser.seriousAccessibilityViolations();
    assertTrue(violations.stream().anyMatch(v -> v.startsWith("label ")), String.valueOf(violations));
  }

  @Test
  void everyLanguageFileHasEveryText() {
    Set<String> english = new HashSet<>();
    strings("en").fieldNames().forEachRemaining(english::add);
    for (String lang : List.of("nl", "uk", "ru")) {
      Set<String> keys = new HashSet<>();
      strings(lang).fieldNames().forEachRemaining(keys::add);
      assertEquals(english, keys, lang + ".json must translate exactly the texts of en.json");
      strings(lang).fields().forEachRemaining(e -> assertFalse(e.getValue().asText().isBlank(), lang + ": " + e.getKey()));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void fillGuest(String name, String email) {
    type("f-contact-name", name);
    type("f-contact-email", email);
    type("f-adults", "2");
    type("f-children", "1");
    type("f-children-0-age", "7");
    click(By.id("f-pets-cat"));
    click(By.id("f-stepFreeAccessNeeded-false"));
    click(By.id("f-smoker-false"));
    click(By.id("f-languages-uk"));
    click(By.id("f-languages-ru"));
    click(By.id("f-preferredRegions-PV26"));
    click(By.id("f-preferredRegions-PV27"));
    click(By.id("f-acceptsOtherRegions-true"));
    typeDate("f-neededFrom", LocalDate.now());
    click(By.id("f-consentToShare"));
  }

  private static void open(String path) {
    browser.driver.get(base + path);
    waitReady();
  }

  private static void waitReady() {
    waitUntil(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
  }

  private static void choose(String kind) {
    click(By.cssSelector(".choice[data-kind='" + kind + "']"));
    waitVisible(By.id("register"));
  }

  private static void waitVisible(By by) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitUntil(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(condition::apply);
  }

  private static void click(By by) {
    WebElement e = browser.driver.findElement(by);
    browser.js("arguments[0].scrollIntoView({block: 'center'})", e);
    e.click();
  }

  private static void type(String id, String text) {
    WebElement e = browser.driver.findElement(By.id(id));
    browser.js("arguments[0].scrollIntoView({block: 'center'})", e);
    e.clear();
    e.sendKeys(text);
  }

  /** The browser runs in US English: a date field takes month, day and year. */
  private static void typeDate(String id, LocalDate date) {
    type(id, usDate(date));
    assertEquals(date.toString(), browser.driver.findElement(By.id(id)).getAttribute("value"));
  }

  private static String usDate(LocalDate date) {
    return String.format("%02d%02d%04d", date.getMonthValue(), date.getDayOfMonth(), date.getYear());
  }

  private static void selectByValue(String id, String value) {
    new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id(id))).selectByValue(value);
  }

  private static String text(By by) {
    return browser.driver.findElement(by).getText().strip();
  }

  private static void tabUntil(Predicate<WebElement> wanted) {
    Actions keys = new Actions(browser.driver);
    for (int i = 0; i < 100; i++) {
      keys.sendKeys(Keys.TAB).perform();
      if (wanted.test(browser.driver.switchTo().activeElement())) {
        return;
      }
    }
    throw new AssertionError("never reached by the Tab key");
  }

  /**
   * What the page costs on a first visit, as the browser counts it (compressed bodies plus headers), written
   * to target/page-weight-<lang>.txt. The budget keeps it usable on a poor mobile connection.
   */
  private static void assertPageWeight(Browser fresh, String lang) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries = (List<Map<String, Object>>) fresh.js("""
        return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
          .map(e => ({ name: e.name, transfer: e.transferSize, body: e.decodedBodySize }));
        """);
    long transfer = 0;
    long decoded = 0;
    StringBuilder report = new StringBuilder();
    for (Map<String, Object> e : entries) {
      long t = ((Number) e.get("transfer")).longValue();
      long d = ((Number) e.get("body")).longValue();
      transfer += t;
      decoded += d;
      report.append(String.format("%-60s %7d bytes transferred %7d bytes decoded%n",
          e.get("name").toString().replace(base, ""), t, d));
    }
    report.append(String.format("%-60s %7d bytes transferred %7d bytes decoded, %d requests%n", "total", transfer,
        decoded, entries.size()));
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "page-weight-" + lang + ".txt"), report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.print("page weight (" + lang + "):\n" + report);
    assertTrue(transfer > 0 && transfer < 40 * 1024, "page weight budget 40 KiB on the wire: " + transfer);
  }

  private static void assertFitsWidth(int width) {
    long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
    assertTrue(scrollWidth <= width, "the page scrolls sideways at " + width + " px: " + scrollWidth + " px wide");
  }

  private static void assertNoSeriousAccessibilityViolations(String where) {
    List<String> violations = browser.seriousAccessibilityViolations();
    assertTrue(violations.isEmpty(), where + ": " + String.join("\n", violations));
  }

  private static JsonNode strings(String lang) {
    try (InputStream in = RegistrationFormBrowserTest.class.getResourceAsStream("/web/assets/i18n/" + lang + ".json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, AttributeValue> caseItem(String id) {
    return runtime.dynamoDb().client().getItem(r -> r.tableName(template.physicalName("CasesTable"))
        .key(Map.of("pk", AttributeValue.fromS("CASE#" + id), "sk", AttributeValue.fromS("CASE")))
        .consistentRead(true)).item();
  }

  private static long caseCount() {
    return runtime.dynamoDb().client().scanPaginator(ScanRequest.builder()
        .tableName(template.physicalName("CasesTable"))
        .filterExpression("sk = :case").expressionAttributeValues(Map.of(":case", AttributeValue.fromS("CASE")))
        .build()).stream().mapToLong(r -> r.count()).sum();
  }

  /** The one personal-data item with this email: exactly one, or the test fails. */
  private static Map<String, AttributeValue> personalData(String email) {
    List<Map<String, AttributeValue>> items = runtime.dynamoDb().client().scanPaginator(ScanRequest.builder()
        .tableName(template.physicalName("PersonalDataTable"))
        .filterExpression("contact.email = :e").expressionAttributeValues(Map.of(":e", AttributeValue.fromS(email)))
        .consistentRead(true).build()).items().stream().toList();
    assertEquals(1, items.size(), "registrations stored for " + email);
    return items.get(0);
  }

}
