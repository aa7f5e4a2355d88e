package io.tickshard.e2e;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The screener page as a person uses it: the start form, the stream list, the live panel. */
final class ScreenerPage {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Browser browser;

  ScreenerPage(Browser browser) {
    this.browser = browser;
  }

  private WebDriver driver() {
    return browser.driver();
  }

  ScreenerPage open(String url) {
    driver().get("about:blank"); // a URL that differs only in its #hash would not load the page
    driver().get(url);
    // The modules loaded and the first poll answered: the cluster chip says how many nodes are up.
    browser.await(WAIT, d -> text(By.id("cluster")).contains("up"));
    return this;
  }

  /** Fills in the start form and presses Start. */
  void startFromForm(String screenerType, String instruments) {
    WebElement type = driver().findElement(By.name("screenerType"));
    type.clear();
    type.sendKeys(screenerType);
    WebElement list = driver().findElement(By.id("instruments-input"));
    list.clear();
    list.sendKeys(instruments);
    driver().findElement(By.cssSelector("#start-form button[type=submit]")).click();
  }

  String startResult() {
    return text(By.id("start-result"));
  }

  /** The key of the listed stream of {@code screenerType}, once it is listed. */
  String awaitListed(String screenerType) {
    By row = By.cssSelector("#streams tbody tr[data-key^='type:" + screenerType + "|']");
    return browser.await(
        WAIT,
        d -> {
          List<WebElement> rows = d.findElements(row);
          return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-key");
        });
  }

  WebElement streamRow(String key) {
    return driver().findElement(By.cssSelector("#streams tbody tr[data-key='" + key + "']"));
  }

  void watch(String key) {
    streamRow(key).findElement(By.xpath(".//button[text()='watch']")).click();
  }

  /** Waits until the live panel shows {@code count} instruments, each with a price. */
  void awaitPrices(int count) {
    browser.await(
        WAIT,
        d -> {
          List<String> prices = ltps();
          return prices.size() == count && prices.stream().noneMatch(String::isEmpty);
        });
  }

  /** The LTP of every live row, in the order the rows stand in the DOM. */
  List<String> ltps() {
    return browser.script(
        "return [...document.querySelectorAll('#ticks tbody tr td.ltp')]"
            + ".map(td => td.dataset.value ?? '')");
  }

  /** One column's values ({@code data-value} of its cells), rows in DOM order, in one go. */
  List<Double> column(String cellClass) {
    List<Object> values =
        browser.script(
            "return [...document.querySelectorAll('#ticks tbody tr td."
                + cellClass
                + "')]"
                + ".map(td => td.dataset.value === '' ? null : Number(td.dataset.value))");
    return values.stream().map(v -> v == null ? null : ((Number) v).doubleValue()).toList();
  }

  void sortBy(String column) {
    driver().findElement(By.cssSelector("#ticks th[data-sort='" + column + "'] button")).click();
  }

  String ariaSort(String column) {
    return driver()
        .findElement(By.cssSelector("#ticks th[data-sort='" + column + "']"))
        .getDomAttribute("aria-sort");
  }

  /** The symbols the live rows show, in DOM order. */
  List<String> symbols() {
    return browser.driver().findElements(By.cssSelector("#ticks tbody tr .symbol")).stream()
        .map(WebElement::getText)
        .toList();
  }

  String liveState() {
    return text(By.id("live-state"));
  }

  String text(By by) {
    List<WebElement> found = driver().findElements(by);
    return found.isEmpty() ? "" : found.get(0).getText();
  }
}
