package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The binding's limits: their defaults, and a setting that would let viewers lock REST out. */
class ConnectionLimitsTest {

  private static ConnectionLimits with(String overrides) {
    return ConnectionLimits.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  @Test
  void the_defaults_leave_rest_room_beside_the_viewers() {
    ConnectionLimits limits = with("");
    assertThat(limits.maxConnections()).isEqualTo(8192);
    assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    // Above a load balancer's usual 60 s idle timeout, and below pekko-http's own idle-timeout.
    assertThat(limits.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(75));
    assertThat(ConfigFactory.load().getDuration("pekko.http.server.idle-timeout"))
        .isGreaterThan(limits.keepAliveTimeout());
    assertThat(ApiSettings.fromConfig(ConfigFactory.load()).maxSseViewers()).isEqualTo(6000);
    // Room for a market-open burst of new connections, where pekko-http's own default is 100.
    assertThat(limits.backlog()).isEqualTo(1024);
  }

  @Test
  void a_backlog_of_zero_is_refused() {
    assertThatThrownBy(() -> with("tickshard.http.backlog = 0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tickshard.http.backlog");
  }

  @Test
  void viewers_allowed_as_many_connections_as_the_node_stop_it_naming_both_settings() {
    assertThatThrownBy(
            () -> with("tickshard.http.max-connections = 100\ntickshard.api.max-sse-viewers = 100"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TICKSHARD_MAX_SSE_VIEWERS")
        .hasMessageContaining("TICKSHARD_HTTP_MAX_CONNECTIONS");
  }

  @Test
  void a_header_timeout_of_zero_is_refused() {
    assertThatThrownBy(() -> with("tickshard.http.header-timeout = 0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tickshard.http.header-timeout");
  }

  @Test
  void a_keep_alive_timeout_below_the_header_timeout_is_refused() {
    assertThatThrownBy(() -> with("tickshard.http.keep-alive-timeout = 5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tickshard.http.keep-alive-timeout")
        .hasMessageContaining("tickshard.http.header-timeout");
  }
}
