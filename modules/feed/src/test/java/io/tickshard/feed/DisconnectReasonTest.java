package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.DisconnectReason.ClientAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DisconnectReasonTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "800, RETRY_WITH_BACKOFF",
    "804, DO_NOT_RETRY_SAME_REQUEST",
    "805, LONG_COOL_OFF",
    "806, FATAL",
    "807, NEW_CREDENTIALS",
    "808, NEW_CREDENTIALS",
    "809, NEW_CREDENTIALS",
    "810, NEW_CREDENTIALS"
  })
  void eachDocumentedReasonHasItsAction(int code, ClientAction action) {
    assertThat(DisconnectReason.fromCode(code)).isPresent();
    assertThat(DisconnectReason.fromCode(code).orElseThrow().code()).isEqualTo(code);
    assertThat(DisconnectReason.actionFor(code)).isEqualTo(action);
    assertThat(new DisconnectPacket(code).action()).isEqualTo(action);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 50, 801, 803, 811, 999, 65535, -1})
  void anUndocumentedReasonIsTreatedAsTransient(int code) {
    assertThat(DisconnectReason.fromCode(code)).isEmpty();
    assertThat(DisconnectReason.actionFor(code)).isEqualTo(ClientAction.RETRY_WITH_BACKOFF);
    assertThat(new DisconnectPacket(code).reason()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {800, 805, 810})
  void aPacketBuiltFromAReasonCarriesItsCode(int code) {
    DisconnectReason reason = DisconnectReason.fromCode(code).orElseThrow();

    assertThat(DisconnectPacket.of(reason).reasonCode()).isEqualTo(code);
    assertThat(DisconnectPacket.of(reason).reason()).contains(reason);
  }
}
