package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Response codes with their packet sizes, request codes, modes and the broker's limits. */
class ProtocolCodesTest {

  @ParameterizedTest(name = "code {0} is {1} bytes")
  @CsvSource({"2, 16", "4, 50", "5, 12", "6, 16", "8, 162", "50, 10"})
  void documentedPacketsHaveTheirFactSheetLength(int code, int length) {
    assertThat(ResponseCode.lengthOf(code)).isEqualTo(length);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 7, 9, 49, 51, 99, 255})
  void undocumentedCodesHaveNoLength(int code) {
    assertThat(ResponseCode.lengthOf(code)).isEqualTo(-1);
  }

  @Test
  void fullPacketDepthEndsExactlyAtTheEndOfThePacket() {
    assertThat(62 + ResponseCode.DEPTH_LEVELS * ResponseCode.DEPTH_LEVEL_LENGTH)
        .isEqualTo(ResponseCode.FULL_LENGTH);
  }

  @ParameterizedTest
  @CsvSource({
    "12, DISCONNECT",
    "15, SUBSCRIBE_TICKER",
    "16, UNSUBSCRIBE_TICKER",
    "17, SUBSCRIBE_QUOTE",
    "18, UNSUBSCRIBE_QUOTE",
    "21, SUBSCRIBE_FULL",
    "22, UNSUBSCRIBE_FULL"
  })
  void requestCodesMatchTheFactSheet(int code, RequestCode requestCode) {
    assertThat(RequestCode.fromCode(code)).contains(requestCode);
    assertThat(requestCode.code()).isEqualTo(code);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 11, 13, 14, 19, 20, 23, 99})
  void otherRequestCodesAreUnknown(int code) {
    assertThat(RequestCode.fromCode(code)).isEmpty();
  }

  @Test
  void disconnectIsNeitherSubscribeNorUnsubscribe() {
    assertThat(RequestCode.DISCONNECT.isSubscribe()).isFalse();
    assertThat(RequestCode.DISCONNECT.isUnsubscribe()).isFalse();
    assertThat(RequestCode.DISCONNECT.mode()).isEmpty();
  }

  @Test
  void modesParseFromTheirWireNamesInAnyCase() {
    assertThat(FeedMode.parse("quote")).contains(FeedMode.QUOTE);
    assertThat(FeedMode.parse(" FULL ")).contains(FeedMode.FULL);
    assertThat(FeedMode.parse("Ticker")).contains(FeedMode.TICKER);
    assertThat(FeedMode.parse("depth")).isEmpty();
    assertThat(FeedMode.parse(null)).isEmpty();
    assertThat(FeedMode.QUOTE.wireName()).isEqualTo("quote");
  }

  @Test
  void limitsAreTheBrokers() {
    assertThat(FeedLimits.MAX_INSTRUMENTS_PER_REQUEST).isEqualTo(100);
    assertThat(FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION).isEqualTo(5_000);
    assertThat(FeedLimits.MAX_CONNECTIONS_PER_CLIENT).isEqualTo(5);
  }
}
