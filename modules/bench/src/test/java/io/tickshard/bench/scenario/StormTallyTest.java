package io.tickshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.bench.client.ScreenerKey;
import io.tickshard.bench.client.Storm;
import io.tickshard.bench.measure.Figures;
import java.util.List;
import org.junit.jupiter.api.Test;

class StormTallyTest {
  private static final ScreenerKey ONE = new ScreenerKey("s0", List.of(1, 2), "quote");
  private static final ScreenerKey TWO = new ScreenerKey("s1", List.of(2, 3), "full");
  private static final ScreenerKey THREE = new ScreenerKey("s2", List.of(4), "ticker");

  private static Storm.Answer answer(int status, String state, ScreenerKey key, long millis) {
    String body = "{\"key\":\"" + key.key() + "\",\"status\":\"" + state + "\"}";
    return new Storm.Answer(status, body, null, millis * 1_000, millis * 1_000 + 5_000);
  }

  @Test
  void a_start_succeeds_as_started_already_running_or_queued_and_each_key_starts_once() {
    StormTally tally =
        new StormTally(
            List.of(
                answer(201, "started", ONE, 10),
                answer(200, "already_running", ONE, 20),
                answer(200, "queued", ONE, 30),
                answer(201, "started", TWO, 40),
                answer(201, "started", TWO, 50),
                new Storm.Answer(0, "", "ConnectException", 1_500_000, 1_600_000),
                new Storm.Answer(503, "{\"type\":\"x/timeout\"}", null, 5_000_000, 5_000_000)),
            true);
    assertThat(tally.errors()).isEqualTo(2);
    assertThat(tally.answered("started")).isEqualTo(3);
    assertThat(tally.answered("queued")).isEqualTo(1);
    assertThat(tally.keysStarted(List.of(ONE, TWO), 2, true)).isEqualTo(1);
    assertThat(tally.keysStarted(List.of(ONE, TWO, THREE), 0, false)).isEqualTo(1);
    Figures figures = new Figures();
    tally.put(figures, "storm");
    assertThat(figures.get("storm last answer ms")).isEqualTo(5_000);
    assertThat(figures.get("storm answers over 1 s")).isEqualTo(2);
    assertThat(figures.get("storm max ms")).isBetween(4_990.0, 5_010.0);
    assertThat(tally.remarks())
        .contains("2 errors: ", "ConnectException x1", "HTTP 503 x/timeout x1")
        .contains("answers by second: 0-1 s: 5, 1-2 s: 1, 5-6 s: 1");
  }

  @Test
  void the_baseline_succeeds_with_any_2xx() {
    StormTally tally =
        new StormTally(
            List.of(
                new Storm.Answer(200, "{}", null, 900, 900), new Storm.Answer(404, "", null, 1, 1)),
            false);
    assertThat(tally.errors()).isEqualTo(1);
    assertThat(tally.remarks()).isEqualTo("1 errors: HTTP 404 x1");
  }
}
