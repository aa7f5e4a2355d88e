package io.tickshard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * A node whose broker budget is one dedicated socket: the second start is refused with 429
 * budget-exhausted, and the page says what holds the connection and what to do.
 */
class BudgetIT {
  @RegisterExtension static final Browser browser = new Browser();
  private static E2eNode node;
  private final ScreenerPage page = new ScreenerPage(browser);

  @BeforeAll
  static void startNode() throws Exception {
    node =
        E2eNode.start(
            "budget",
            Map.of("TICKSHARD_UPSTREAM_SHARING", "dedicated"),
            Map.of("tickshard.budget.max-connections", "1"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void a_start_with_every_broker_connection_taken_names_the_holder_and_what_to_do()
      throws Exception {
    String holder = node.api.start("e2eholder", List.of(1333));
    browser.viewport(1280, 800);
    page.open(node.api.page());
    // The strip shows the budget in use before anyone tries; the form still lets one try.
    browser.await(
        ScreenerPage.WAIT, d -> page.text(By.id("upstream")).contains("1/1 dedicated · full"));

    page.startFromForm("e2erefused", "2885");

    browser.await(
        ScreenerPage.WAIT,
        d -> page.startResult().startsWith("Not started: all 1 broker connection in use."));
    assertThat(page.startResult())
        .contains("e2eholder")
        .contains("Stop one of them (or wait until one stops), then start again");
    assertThat(
            browser.driver().findElements(By.cssSelector("#start-result .holders button.danger")))
        .singleElement()
        .satisfies(stop -> assertThat(stop.getDomAttribute("aria-label")).contains(holder));
    assertThat(node.api.stream("type:e2erefused|ids:2885").path("status").asText())
        .as("nothing started")
        .isNotEqualTo("running");
  }
}
