package io.tickshard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The old app's message and price text, byte for byte. */
class LtpUpdateTest {

  @Test
  void a_quote_tick_is_the_old_apps_screener_ltp_update() {
    assertThat(LtpUpdate.message(SampleTicks.quote("NSE_EQ", 1333, 1534.5f, 120_000)))
        .isEqualTo(
            "{\"type\":\"screener_ltp_update\",\"instrument_key\":\"NSE_EQ:1333\",\"ltp\":1534.5,"
                + "\"volume\":120000,\"day_open\":1524.5,\"day_high\":1539.5,\"day_low\":1522.5,"
                + "\"tick_kind\":\"quote\",\"source\":\"websocket\"}");
  }

  @Test
  void a_ticker_tick_carries_only_its_price_the_rest_null() {
    assertThat(LtpUpdate.message(SampleTicks.ticker("NSE_FNO", 55796, 98.25f)))
        .isEqualTo(
            "{\"type\":\"screener_ltp_update\",\"instrument_key\":\"NSE_FNO:55796\",\"ltp\":98.25,"
                + "\"volume\":null,\"day_open\":null,\"day_high\":null,\"day_low\":null,"
                + "\"tick_kind\":\"ticker\",\"source\":\"websocket\"}");
  }

  @Test
  void prices_are_plain_decimals_never_exponents() {
    assertThat(LtpUpdate.price(1534.5f)).isEqualTo("1534.5");
    assertThat(LtpUpdate.price(100f)).isEqualTo("100.0");
    assertThat(LtpUpdate.price(0.05f)).isEqualTo("0.05");
    assertThat(LtpUpdate.price(0f)).isEqualTo("0.0");
    assertThat(LtpUpdate.price(12_345_678f)).isEqualTo("12345678");
  }
}
