package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickshard.feed.FeedMode;
import org.junit.jupiter.api.Test;

/** The API reads the default mode where the streams do, so a bad one fails the same way. */
class ApiSettingsTest {

  private static ApiSettings with(String overrides) {
    return ApiSettings.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  @Test
  void the_default_mode_is_the_feed_mode() {
    assertThat(ApiSettings.fromConfig(ConfigFactory.load()).defaultMode())
        .isEqualTo(FeedMode.QUOTE);
    assertThat(with("tickshard.feed.mode = Full").defaultMode()).isEqualTo(FeedMode.FULL);
  }

  @Test
  void an_unknown_mode_is_rejected_naming_the_setting_and_the_value() {
    assertThatThrownBy(() -> with("tickshard.feed.mode = turbo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tickshard.feed.mode")
        .hasMessageContaining("'turbo'");
  }
}
