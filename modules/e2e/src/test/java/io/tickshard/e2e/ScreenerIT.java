package io.tickshard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The screener page in headless Chromium, against one node from the packaged jar (embedded
 * PostgreSQL, the built-in feed simulator), used the way a trader keeps it open.
 */
class ScreenerIT {
  /** As a trader types them: symbols, one with its segment (the index). */
  static final String FORM_INSTRUMENTS = "IDX_I:NIFTY, HDFCBANK, RELIANCE, SBIN, TCS";

  static final int FORM_INSTRUMENT_COUNT = 5;

  @RegisterExtension static final Browser browser = new Browser();
  private static E2eNode node;
  private final ScreenerPage page = new ScreenerPage(browser);

  @BeforeAll
  static void startNode() throws Exception {
    node = E2eNode.start("screener", Map.of(), Map.of());
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @AfterEach
  void desktopViewport() {
    browser.viewport(1280, 800);
  }

  @Test
  void a_stream_started_from_the_form_is_listed_watched_ticks_sorts_and_says_when_it_stopped()
      throws Exception {
    browser.viewport(1280, 800);
    page.open(node.api.page());
    page.startFromForm("e2eform", FORM_INSTRUMENTS);

    String key = page.awaitListed("e2eform");
    page.watch(key);
    page.awaitPrices(FORM_INSTRUMENT_COUNT);
    assertThat(page.liveState()).isEqualTo("live");
    // The rows say what people call them, from the server's names of the key's instruments.
    assertThat(page.symbols())
        .containsExactlyInAnyOrder("NIFTY", "HDFCBANK", "RELIANCE", "SBIN", "TCS");

    List<String> before = page.ltps();
    browser.await(Duration.ofSeconds(5), d -> !page.ltps().equals(before));

    page.sortBy("ltp");
    assertThat(page.ariaSort("ltp")).isEqualTo("ascending");
    List<String> ascending = browser.await(ScreenerPage.WAIT, d -> rowsIfSorted(true));
    page.sortBy("ltp");
    assertThat(page.ariaSort("ltp")).isEqualTo("descending");
    List<String> descending = browser.await(ScreenerPage.WAIT, d -> rowsIfSorted(false));
    // Five different prices: the DOM order turned around.
    List<String> reversed = new ArrayList<>(ascending);
    Collections.reverse(reversed);
    assertThat(descending).isEqualTo(reversed);

    node.api.stop(key); // elsewhere: not from this page
    browser.await(ScreenerPage.WAIT, d -> page.liveState().equals("stopped: stopped via the API"));
    assertThat(browser.driver().findElement(By.id("ticks")).getDomAttribute("class"))
        .contains("not-live");
    assertThat(page.text(By.id("live-note"))).contains("not live");
  }

  @Test
  void typing_in_the_instruments_field_suggests_instruments_and_enter_adds_the_chosen_id()
      throws Exception {
    browser.viewport(1280, 800);
    page.open(node.api.page());
    WebElement input = browser.driver().findElement(By.id("instruments-input"));
    input.clear();
    input.sendKeys("hdfc");
    browser.await(
        ScreenerPage.WAIT,
        d ->
            d
                .findElements(By.cssSelector("#instrument-options li[role=option] .option-symbol"))
                .stream()
                .map(WebElement::getText)
                .toList()
                .contains("HDFCBANK"));
    assertThat(input.getDomAttribute("aria-expanded")).isEqualTo("true");
    input.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
    browser.await(ScreenerPage.WAIT, d -> !input.getDomProperty("value").equals("hdfc"));
    // The pick goes in as the instrument's id: HDFCBANK is NSE_EQ 1333.
    assertThat(input.getDomProperty("value")).startsWith("1333");
  }

  @Test
  void at_420_px_wide_the_page_does_not_scroll_sideways_and_the_live_panel_is_on_top()
      throws Exception {
    String key = node.api.start("e2enarrow", List.of("IDX_I:13", 1333, 2885, "NSE_FNO:55796"));
    try {
      browser.viewport(420, 900);
      page.open(node.api.watchUrl(key));
      page.awaitPrices(4);
      List<Number> widths =
          browser.script(
              "const root = document.documentElement, wrap = document.getElementById('ticks-wrap');"
                  + "return [window.innerWidth, root.scrollWidth, root.clientWidth,"
                  + " wrap.scrollWidth, wrap.clientWidth,"
                  + " document.getElementById('live').getBoundingClientRect().top];");
      assertThat(widths.get(0).intValue()).as("viewport width").isEqualTo(420);
      assertThat(widths.get(1).intValue())
          .as("the page's width (scrollWidth) within its viewport (clientWidth)")
          .isLessThanOrEqualTo(widths.get(2).intValue());
      assertThat(widths.get(3).intValue())
          .as("the ticks table scrolls inside its own box")
          .isGreaterThan(widths.get(4).intValue());
      assertThat(widths.get(5).doubleValue()).as("the live panel's top").isLessThan(300);
    } finally {
      node.api.stop(key);
    }
  }

  @Test
  void a_watched_stream_at_1280_by_800_is_the_readme_screenshot() throws Exception {
    String key =
        node.api.start(
            "swing",
            List.of("IDX_I:13", "IDX_I:25", 1333, 1594, 2885, 3045, 11536, "NSE_FNO:55796"));
    try {
      browser.viewport(1280, 800);
      page.open(node.api.watchUrl(key));
      page.awaitPrices(8);
      // A trend worth looking at: every sparkline has five points (one per two seconds).
      browser.await(
          Duration.ofSeconds(30),
          d ->
              browser.<Boolean>script(
                  "const lines = [...document.querySelectorAll('#ticks svg.spark')];"
                      + "return lines.length === 8"
                      + " && lines.every(svg => Number(svg.dataset.points) >= 5);"));
      Path png = browser.save("screener");
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(image.getHeight()).isEqualTo(800);
    } finally {
      node.api.stop(key);
    }
  }

  @Test
  void the_api_link_opens_the_described_api_with_every_call() throws Exception {
    page.open(node.api.page());
    browser.driver().findElement(By.linkText("API")).click();
    // Swagger UI (its webjar) rendered the node's own /api/v1/openapi.yaml: a block per call.
    List<String> paths =
        browser.await(
            ScreenerPage.WAIT,
            d -> {
              List<String> shown =
                  d.findElements(By.cssSelector(".opblock .opblock-summary-path")).stream()
                      .map(path -> path.getDomAttribute("data-path"))
                      .toList();
              return shown.size() >= 18 ? shown : null;
            });
    assertThat(paths)
        .contains("/api/v1/streams/{key}/ticks", "/api/v1/health/check", "/screeners/ltp/start");
  }

  /** The live rows' ids in DOM order when their LTPs stand sorted that way, else null. */
  private List<String> rowsIfSorted(boolean ascending) {
    List<Object> rows =
        browser.script(
            "return [...document.querySelectorAll('#ticks tbody tr')].map(tr => [tr.dataset.id,"
                + " tr.querySelector('td.ltp').dataset.value])");
    List<String> ids = new ArrayList<>();
    List<Double> prices = new ArrayList<>();
    for (Object row : rows) {
      List<?> pair = (List<?>) row;
      ids.add((String) pair.get(0));
      String price = (String) pair.get(1);
      prices.add(price == null || price.isEmpty() ? null : Double.valueOf(price));
    }
    Comparator<Double> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
    List<Double> sorted = prices.stream().filter(Objects::nonNull).sorted(order).toList();
    return prices.equals(sorted) && ids.size() == FORM_INSTRUMENT_COUNT ? ids : null;
  }
}
