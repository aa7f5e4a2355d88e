package io.tickshard.streams.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class MarketHoursConfigTest {

  @Test
  void the_default_is_always_open() {
    assertThat(MarketHours.fromConfig(ConfigFactory.load()).name()).isEqualTo("always");
  }

  @Test
  void nse_reads_the_holidays_file_shipped_in_conf() {
    MarketHours hours =
        MarketHours.fromConfig(
            ConfigFactory.parseString(
                    "tickshard.market-hours = nse\n"
                        + "tickshard.market-holidays-file = \"../../conf/nse-holidays.txt\"")
                .withFallback(ConfigFactory.load()));
    assertThat(hours.name()).isEqualTo("nse");
    // Republic Day 2026 is a Monday: closed; the Tuesday after is an ordinary session.
    assertThat(hours.isOpen(ist(2026, 1, 26, 10, 0))).isFalse();
    assertThat(hours.isOpen(ist(2026, 1, 27, 10, 0))).isTrue();
  }

  @Test
  void an_unknown_name_is_refused_with_the_setting_named() {
    assertThatThrownBy(
            () ->
                MarketHours.fromConfig(
                    ConfigFactory.parseString("tickshard.market-hours = lunar")
                        .withFallback(ConfigFactory.load())))
        .hasMessageContaining("tickshard.market-hours")
        .hasMessageContaining("lunar");
  }

  private static java.time.Instant ist(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute).atZone(NseMarketHours.ZONE).toInstant();
  }
}
