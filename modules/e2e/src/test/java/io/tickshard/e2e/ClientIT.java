package io.tickshard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The browser client (/client/tickshard.js) in another application's page: the page comes from a
 * server of its own on another port (another origin, listed in TICKSHARD_API_ALLOWED_ORIGINS),
 * imports the client from the node, starts a stream by symbol with the API token, and shows its
 * prices, through a restart of the node it reads from.
 */
class ClientIT {
  private static final String TOKEN = "e2e-client-token";
  private static final Duration RESTARTED = Duration.ofSeconds(90);

  @RegisterExtension static final Browser browser = new Browser();
  private static OtherOrigin elsewhere;
  private static String origin;
  private static E2eNode node;

  @BeforeAll
  static void start() throws Exception {
    elsewhere = OtherOrigin.page();
    origin = elsewhere.origin();
    node =
        E2eNode.start(
            "client",
            Map.of("TICKSHARD_API_ALLOWED_ORIGINS", origin, "TICKSHARD_API_TOKEN", TOKEN),
            Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  @Test
  void a_page_on_another_origin_watches_a_stream_it_started_by_symbol_through_a_node_restart()
      throws Exception {
    browser
        .driver()
        .get(
            origin
                + "/index.html?tickshard="
                + NodeApi.encode(node.api.base())
                + "&token="
                + TOKEN
                + "&symbols=HDFCBANK,RELIANCE,SBIN");
    browser.await(ScreenerPage.WAIT, d -> symbols().size() == 3);
    assertThat(symbols()).containsExactlyInAnyOrder("HDFCBANK", "RELIANCE", "SBIN");
    assertThat(text("link")).isEqualTo("open");
    String key = browser.script("return document.body.dataset.key");
    assertThat(node.api.stream(key).path("status").asText()).isIn("starting", "running");
    List<String> before = prices();
    browser.await(ScreenerPage.WAIT, d -> !prices().equals(before));
    // Two widgets, one connection: the second one counts the same ticks.
    browser.await(ScreenerPage.WAIT, d -> Long.parseLong(text("second")) > 0);
    assertThat(NodeApi.metric(node.management(), "tickshard_sse_viewers")).isEqualTo(1.0);

    node.restart();

    // The client went on by itself: reconnected, a fresh snapshot, prices moving again.
    long ticksBefore = seen("ticks");
    long snapshotsBefore = seen("snapshots");
    browser.await(RESTARTED, d -> seen("snapshots") > snapshotsBefore);
    browser.await(ScreenerPage.WAIT, d -> seen("ticks") > ticksBefore + 10);
    List<String> after = prices();
    browser.await(ScreenerPage.WAIT, d -> !prices().equals(after));
    browser.await(ScreenerPage.WAIT, d -> text("feed").equals("running"));
    assertThat(text("link")).isEqualTo("open");
    List<String> links = browser.script("return window.seen.links");
    assertThat(links).as("what the link went through").contains("reconnecting");
    Awaitility.await()
        .atMost(ScreenerPage.WAIT)
        .untilAsserted(
            () ->
                assertThat(NodeApi.metric(node.management(), "tickshard_sse_viewers"))
                    .isEqualTo(1.0));
  }

  @Test
  void behind_a_proxy_that_holds_the_event_stream_back_the_client_polls_the_snapshot()
      throws Exception {
    try (OtherOrigin proxy = OtherOrigin.bufferingProxy(node.api.base())) {
      browser
          .driver()
          .get(
              proxy.origin()
                  + "/index.html?type=proxied&tickshard="
                  + NodeApi.encode(proxy.origin())
                  + "&token="
                  + TOKEN
                  + "&symbols=TCS,INFY");
      browser.await(ScreenerPage.WAIT, d -> text("transport").equals("poll"));
      browser.await(ScreenerPage.WAIT, d -> prices().size() == 2);
      assertThat(proxy.held()).as("event streams the proxy held back").isEqualTo(1);
      List<String> before = prices();
      browser.await(ScreenerPage.WAIT, d -> !prices().equals(before));
      browser.await(ScreenerPage.WAIT, d -> text("feed").equals("running"));
      assertThat(text("link")).isEqualTo("open");
      // After the first poll's snapshot, what changed comes as ticks, to both widgets.
      assertThat(seen("snapshots")).isEqualTo(1);
      browser.await(ScreenerPage.WAIT, d -> Long.parseLong(text("second")) > 0);
    }
  }

  private static List<String> symbols() {
    return browser.script(
        "return [...document.querySelectorAll('#prices tr td.symbol')].map(td => td.textContent)");
  }

  private static List<String> prices() {
    return browser.script(
        "return [...document.querySelectorAll('#prices tr td.ltp')].map(td => td.textContent)");
  }

  private static String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private static long seen(String what) {
    return ((Number) browser.script("return window.seen." + what)).longValue();
  }
}
