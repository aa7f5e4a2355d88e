package io.tickshard.streams.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.broker.TokenSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How streams reach the broker, read from {@code tickshard.feed}. */
class FeedSettingsTest {

  private static FeedSettings defaults() {
    return FeedSettings.fromConfig(ConfigFactory.load());
  }

  private static FeedSettings with(String overrides) {
    Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load());
    return FeedSettings.fromConfig(config);
  }

  private static BrokerCredentials credentials(String clientId, String token) {
    return new BrokerCredentials(clientId, token, TokenSource.ENV, Instant.now());
  }

  /** The query parameters in order, names and values URL-decoded. */
  private static List<Map.Entry<String, String>> queryParameters(URI uri) {
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      parameters.add(
          Map.entry(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8)));
    }
    return parameters;
  }

  private static Map<String, String> queryMap(URI uri) {
    Map<String, String> map = new LinkedHashMap<>();
    queryParameters(uri).forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  @Nested
  class FromConfig {

    @Test
    void reference_conf_gives_the_simulator_defaults() {
      FeedSettings settings = defaults();

      assertThat(settings.url()).isEqualTo(URI.create("ws://127.0.0.1:8765/"));
      assertThat(settings.defaultMode()).isEqualTo(FeedMode.QUOTE);
      assertThat(settings.backoffMin()).isEqualTo(Duration.ofSeconds(2));
      assertThat(settings.backoffMax()).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoffRandomFactor()).isEqualTo(0.2);
    }

    @Test
    void every_duration_is_read_and_positive() {
      FeedSettings settings = defaults();

      assertThat(
              List.of(
                  settings.connectTimeout(),
                  settings.backoffResetAfter(),
                  settings.tooManyConnectionsCoolOff(),
                  settings.staleAfter(),
                  settings.heartbeatInterval(),
                  settings.closeTimeout()))
          .allSatisfy(duration -> assertThat(duration).isPositive());
    }

    @Test
    void overrides_win_over_the_defaults() {
      FeedSettings settings =
          with(
              """
              tickshard.feed {
                url = "wss://api-feed.example.com/"
                mode = full
                backoff { min = 500ms, max = 30s, random-factor = 0.5 }
              }
              """);

      assertThat(settings.url()).isEqualTo(URI.create("wss://api-feed.example.com/"));
      assertThat(settings.defaultMode()).isEqualTo(FeedMode.FULL);
      assertThat(settings.backoffMin()).isEqualTo(Duration.ofMillis(500));
      assertThat(settings.backoffMax()).isEqualTo(Duration.ofSeconds(30));
      assertThat(settings.backoffRandomFactor()).isEqualTo(0.5);
      // Untouched settings keep their defaults.
      assertThat(settings.connectTimeout()).isEqualTo(defaults().connectTimeout());
    }

    @Test
    void the_mode_is_read_in_any_case() {
      assertThat(with("tickshard.feed.mode = TICKER").defaultMode()).isEqualTo(FeedMode.TICKER);
      assertThat(with("tickshard.feed.mode = Full").defaultMode()).isEqualTo(FeedMode.FULL);
    }

    @Test
    void an_unknown_mode_is_rejected_naming_the_setting() {
      assertThatThrownBy(() -> with("tickshard.feed.mode = turbo"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tickshard.feed.mode")
          .hasMessageContaining("'turbo'");
    }
  }

  @Nested
  class ConnectUri {

    @Test
    void adds_the_four_broker_parameters_to_the_url() {
      URI uri = defaults().connectUri(credentials("sim-client", "sim-token"));

      assertThat(uri.getScheme()).isEqualTo("ws");
      assertThat(uri.getHost()).isEqualTo("127.0.0.1");
      assertThat(uri.getPort()).isEqualTo(8765);
      assertThat(uri.getPath()).isEqualTo("/");
      assertThat(queryParameters(uri))
          .containsExactly(
              Map.entry("version", "2"),
              Map.entry("token", "sim-token"),
              Map.entry("clientId", "sim-client"),
              Map.entry("authType", "2"));
    }

    @Test
    void url_encodes_a_token_with_special_characters() {
      URI uri = defaults().connectUri(credentials("client=1", "a b&c"));

      assertThat(uri.getRawQuery()).doesNotContain("a b").doesNotContain("b&c");
      Map<String, String> query = queryMap(uri);
      assertThat(query).hasSize(4);
      assertThat(query).containsEntry("token", "a b&c").containsEntry("clientId", "client=1");
    }

    @Test
    void encodes_plus_slash_and_equals_of_a_base64_token() {
      String token = "ab+cd/ef==";
      URI uri = defaults().connectUri(credentials("sim-client", token));

      assertThat(queryMap(uri)).containsEntry("token", token).hasSize(4);
    }

    @Test
    void appends_to_a_url_that_already_has_a_query() {
      URI uri =
          with("tickshard.feed.url = \"wss://feed.example.com/ws?region=in\"")
              .connectUri(credentials("sim-client", "sim-token"));

      assertThat(uri.getPath()).isEqualTo("/ws");
      assertThat(queryMap(uri))
          .containsExactly(
              Map.entry("region", "in"),
              Map.entry("version", "2"),
              Map.entry("token", "sim-token"),
              Map.entry("clientId", "sim-client"),
              Map.entry("authType", "2"));
    }

    @Test
    void leaves_the_configured_url_without_credentials() {
      FeedSettings settings = defaults();

      settings.connectUri(credentials("sim-client", "sim-token"));

      assertThat(settings.url().toString()).doesNotContain("sim-token");
    }
  }

  @Test
  void holds_no_credentials_even_when_the_configuration_has_them() {
    FeedSettings settings = with("tickshard.feed.access-token = \"super-secret-token-123\"");

    assertThat(settings.toString())
        .doesNotContain("super-secret-token-123")
        .contains("ws://127.0.0.1:8765/");
  }

  @Nested
  class Backoff {

    private final FeedSettings settings = defaults();

    @Test
    void doubles_from_the_minimum_without_jitter() {
      assertThat(settings.backoff(1, 0)).isEqualTo(Duration.ofSeconds(2));
      assertThat(settings.backoff(2, 0)).isEqualTo(Duration.ofSeconds(4));
      assertThat(settings.backoff(3, 0)).isEqualTo(Duration.ofSeconds(8));
      assertThat(settings.backoff(4, 0)).isEqualTo(Duration.ofSeconds(16));
      assertThat(settings.backoff(5, 0)).isEqualTo(Duration.ofSeconds(32));
      assertThat(settings.backoff(6, 0)).isEqualTo(Duration.ofSeconds(64));
    }

    @Test
    void is_capped_at_the_maximum() {
      assertThat(settings.backoff(7, 0)).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoff(8, 0)).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoff(31, 0)).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoff(32, 0)).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoff(1000, 0)).isEqualTo(Duration.ofSeconds(90));
      assertThat(settings.backoff(Integer.MAX_VALUE, 0)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void full_jitter_adds_the_random_factor() {
      assertThat(settings.backoff(1, 1)).isEqualTo(Duration.ofMillis(2_400));
      assertThat(settings.backoff(2, 1)).isEqualTo(Duration.ofMillis(4_800));
      assertThat(settings.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(2_200));
    }

    @Test
    void never_exceeds_the_maximum_plus_the_random_factor() {
      Duration ceiling = Duration.ofMillis(90_000 + 18_000);

      assertThat(settings.backoff(1000, 1)).isEqualTo(ceiling);
      for (int attempt = 1; attempt <= 1000; attempt++) {
        for (double random : new double[] {0, 0.25, 0.5, 0.999, 1}) {
          Duration delay = settings.backoff(attempt, random);
          assertThat(delay)
              .as("attempt %d, random %s", attempt, random)
              .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
              .isLessThanOrEqualTo(ceiling);
        }
      }
    }

    @Test
    void never_shrinks_as_attempts_grow() {
      Duration previous = Duration.ZERO;
      for (int attempt = 1; attempt <= 100; attempt++) {
        Duration delay = settings.backoff(attempt, 0);
        assertThat(delay).as("attempt %d", attempt).isGreaterThanOrEqualTo(previous);
        previous = delay;
      }
    }

    @Test
    void follows_configured_bounds() {
      FeedSettings fast =
          with("tickshard.feed.backoff { min = 100ms, max = 1s, random-factor = 0.5 }");

      assertThat(fast.backoff(1, 0)).isEqualTo(Duration.ofMillis(100));
      assertThat(fast.backoff(4, 0)).isEqualTo(Duration.ofMillis(800));
      assertThat(fast.backoff(5, 0)).isEqualTo(Duration.ofSeconds(1));
      assertThat(fast.backoff(5, 1)).isEqualTo(Duration.ofMillis(1_500));
    }
  }
}
