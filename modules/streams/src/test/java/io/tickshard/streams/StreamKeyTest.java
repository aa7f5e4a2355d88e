package io.tickshard.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream key is the canonical name of "this screener over these instruments". */
class StreamKeyTest {

  /** A message that carries a key, as the HTTP API and events do. */
  record Holder(StreamKey key) {}

  private static List<String> ids(int fromInclusive, int toInclusive) {
    return IntStream.rangeClosed(fromInclusive, toInclusive).mapToObj(Integer::toString).toList();
  }

  @Nested
  class CanonicalForm {

    @Test
    void a_user_list_is_sorted_and_deduplicated() {
      StreamKey key = StreamKey.of("swing", List.of("3", "1", "2", "2"));

      assertThat(key.value()).isEqualTo("type:swing|ids:1,2,3");
      assertThat(key.screenerType()).isEqualTo("swing");
      assertThat(key.instruments())
          .containsExactly(
              Instrument.of(ExchangeSegment.NSE_EQ, 1),
              Instrument.of(ExchangeSegment.NSE_EQ, 2),
              Instrument.of(ExchangeSegment.NSE_EQ, 3));
      assertThat(key.toString()).isEqualTo(key.value());
    }

    @Test
    void order_and_duplicates_do_not_make_a_different_key() {
      StreamKey messy = StreamKey.of("swing", List.of("3", "1", "2", "2"));
      StreamKey tidy = StreamKey.of("swing", List.of("1", "2", "3"));

      assertThat(messy).isEqualTo(tidy).hasSameHashCodeAs(tidy);
      assertThat(messy.value()).isEqualTo(tidy.value());
    }

    @Test
    void a_different_screener_or_instrument_set_is_a_different_key() {
      StreamKey swing = StreamKey.of("swing", List.of("1", "2"));

      assertThat(StreamKey.of("intraday", List.of("1", "2"))).isNotEqualTo(swing);
      assertThat(StreamKey.of("swing", List.of("1", "2", "3"))).isNotEqualTo(swing);
    }

    @Test
    void other_segments_are_written_with_their_name_and_sorted_by_segment_code_then_id() {
      StreamKey key =
          StreamKey.of(
              "fno-scan",
              List.of("NSE_FNO:55796", "1333", "NSE_FNO:4000", "IDX_I:13", "22", "BSE_EQ:500325"));

      // IDX_I (code 0) < NSE_EQ (1, bare ids) < NSE_FNO (2) < BSE_EQ (4)
      assertThat(key.value())
          .isEqualTo("type:fno-scan|ids:IDX_I:13,22,1333,NSE_FNO:4000,NSE_FNO:55796,BSE_EQ:500325");
    }

    @Test
    void ids_sort_as_numbers_not_as_text() {
      assertThat(StreamKey.of("swing", List.of("10", "9", "100")).value())
          .isEqualTo("type:swing|ids:9,10,100");
    }

    @Test
    void a_bare_id_and_an_explicit_nse_eq_id_are_the_same_instrument() {
      StreamKey bare = StreamKey.of("swing", List.of("1333"));
      StreamKey explicit = StreamKey.of("swing", List.of("NSE_EQ:1333"));

      assertThat(explicit).isEqualTo(bare);
      assertThat(explicit.value()).isEqualTo("type:swing|ids:1333");
    }

    @Test
    void the_same_id_in_two_segments_is_two_instruments() {
      StreamKey key = StreamKey.of("swing", List.of("NSE_FNO:7", "7"));

      assertThat(key.instruments()).hasSize(2);
      assertThat(key.value()).isEqualTo("type:swing|ids:7,NSE_FNO:7");
    }
  }

  @Nested
  class Parsing {

    @Test
    void parse_of_value_round_trips() {
      StreamKey key = StreamKey.of("swing", List.of("NSE_FNO:55796", "1333", "IDX_I:13"));

      StreamKey parsed = StreamKey.parse(key.value());

      assertThat(parsed).isEqualTo(key);
      assertThat(parsed.value()).isEqualTo(key.value());
    }

    @Test
    void parse_accepts_an_unsorted_list_with_duplicates() {
      StreamKey parsed = StreamKey.parse("type:swing|ids:NSE_FNO:5,3,1,2,2,IDX_I:9,3");

      assertThat(parsed.value()).isEqualTo("type:swing|ids:IDX_I:9,1,2,3,NSE_FNO:5");
      assertThat(parsed)
          .isEqualTo(StreamKey.of("swing", List.of("IDX_I:9", "1", "2", "3", "NSE_FNO:5")));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "swing|ids:1,2",
          "type:swing",
          "ids:1,2",
          "type:swing,ids:1,2",
          "TYPE:swing|ids:1",
          "screener:swing|ids:1"
        })
    void parse_rejects_text_that_is_not_type_and_ids(String text) {
      assertThatThrownBy(() -> StreamKey.parse(text))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("type:<screener>|ids:<list>");
    }

    @Test
    void parse_rejects_null_with_the_same_message() {
      assertThatThrownBy(() -> StreamKey.parse(null))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("type:<screener>|ids:<list>");
    }

    @Test
    void parse_rejects_an_empty_id_list() {
      assertThatThrownBy(() -> StreamKey.parse("type:swing|ids:"))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("at least one instrument");
    }

    @Test
    void parse_rejects_an_empty_entry_in_the_list() {
      assertThatThrownBy(() -> StreamKey.parse("type:swing|ids:1,,2"))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("instrument ''");
    }

    @Test
    void parse_validates_the_screener_type_too() {
      assertThatThrownBy(() -> StreamKey.parse("type:Swing|ids:1"))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("screener type");
    }
  }

  @Nested
  class ScreenerTypeValidation {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "swing",
          "a",
          "intraday_v2",
          "fno-scan",
          "0123456789",
          "abcdefghijklmnopqrstuvwxyz012345"
        })
    void lower_case_letters_digits_underscore_and_dash_up_to_32_are_accepted(String type) {
      assertThat(StreamKey.of(type, List.of("1")).screenerType()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Swing",
          "SWING",
          "swing trade",
          " swing",
          "swing.v2",
          "swing:x",
          "swing|ids",
          "abcdefghijklmnopqrstuvwxyz0123456",
          ""
        })
    void anything_else_is_rejected_with_a_clear_message(String type) {
      assertThatThrownBy(() -> StreamKey.of(type, List.of("1")))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessage("screener type must be 1-32 characters of a-z, 0-9, '_' or '-'");
    }

    @Test
    void the_33_character_case_is_really_33_characters() {
      String type = "a".repeat(33);
      assertThat(type).hasSize(33);
      assertThatThrownBy(() -> StreamKey.of(type, List.of("1")))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("screener type");
      assertThat(StreamKey.of("a".repeat(32), List.of("1")).screenerType()).hasSize(32);
    }

    @Test
    void a_null_screener_type_is_rejected() {
      assertThatThrownBy(() -> StreamKey.of(null, List.of("1")))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("screener type");
    }
  }

  @Nested
  class InstrumentCountValidation {

    @Test
    void no_instruments_is_rejected() {
      assertThatThrownBy(() -> StreamKey.of("swing", List.of()))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("at least one instrument");
      assertThatThrownBy(() -> new StreamKey("swing", List.of()))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("at least one instrument");
    }

    @Test
    void five_thousand_distinct_instruments_are_accepted() {
      List<String> shuffled = new ArrayList<>(ids(1, 5_000));
      Collections.reverse(shuffled);

      StreamKey key = StreamKey.of("swing", shuffled);

      assertThat(key.instruments()).hasSize(5_000);
      assertThat(key.instruments().get(0).securityId()).isEqualTo(1);
      assertThat(key.instruments().get(4_999).securityId()).isEqualTo(5_000);
    }

    @Test
    void five_thousand_and_one_distinct_instruments_are_rejected() {
      assertThatThrownBy(() -> StreamKey.of("swing", ids(1, 5_001)))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("at most 5000 instruments")
          .hasMessageContaining("got 5001");
    }

    @Test
    void duplicates_do_not_count_toward_the_limit() {
      List<String> withDuplicates = new ArrayList<>(ids(1, 5_000));
      withDuplicates.addAll(ids(1, 1_000));

      assertThat(StreamKey.of("swing", withDuplicates).instruments()).hasSize(5_000);
    }

    @Test
    void the_same_limit_applies_to_a_parsed_key() {
      String text = "type:swing|ids:" + String.join(",", ids(1, 5_001));

      assertThatThrownBy(() -> StreamKey.parse(text))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("at most 5000");
    }
  }

  @Nested
  class InstrumentValidation {

    @Test
    void an_unknown_segment_is_rejected_naming_the_instrument() {
      assertThatThrownBy(() -> StreamKey.of("swing", List.of("1", "NSE_XYZ:5", "2")))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("NSE_XYZ:5")
          .hasMessageContaining("unknown exchange segment 'NSE_XYZ'");
    }

    @Test
    void segment_names_are_case_sensitive() {
      assertThatThrownBy(() -> StreamKey.of("swing", List.of("nse_fno:5")))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("unknown exchange segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "0", "abc", "12a", "1.5", "NSE_FNO:-1", "NSE_FNO:0", "NSE_FNO:x"})
    void a_negative_zero_or_non_numeric_id_is_rejected_naming_the_instrument(String instrument) {
      assertThatThrownBy(() -> StreamKey.of("swing", List.of("1", instrument)))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageStartingWith("instrument '" + instrument + "': ")
          .hasMessageContaining("security id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "9999999999", "99999999999", "NSE_FNO:2147483648"})
    void an_id_over_2_to_the_31_minus_1_is_rejected(String instrument) {
      assertThatThrownBy(() -> StreamKey.of("swing", List.of(instrument)))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining(instrument)
          .hasMessageContaining("security id");
    }

    @Test
    void the_largest_32_bit_id_is_accepted() {
      StreamKey key = StreamKey.of("swing", List.of("2147483647"));

      assertThat(key.instruments().get(0).securityId()).isEqualTo(Integer.MAX_VALUE);
      assertThat(key.value()).isEqualTo("type:swing|ids:2147483647");
    }
  }

  @Nested
  class EntityIdAndLabel {

    private final StreamKey shortKey = StreamKey.of("swing", List.of("3", "1", "NSE_FNO:55796"));
    private final StreamKey longKey = StreamKey.of("swing", ids(1, 1_000));

    @Test
    void a_short_key_is_its_own_entity_id_and_label() {
      assertThat(shortKey.entityId()).isEqualTo(shortKey.value());
      assertThat(shortKey.label()).isEqualTo(shortKey.value());
    }

    @Test
    void a_long_key_is_hashed_to_sha256_of_its_value() throws Exception {
      String expectedHash =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(longKey.value().getBytes(StandardCharsets.UTF_8)));

      assertThat(longKey.entityId())
          .matches("sha256:[0-9a-f]{64}")
          .isEqualTo("sha256:" + expectedHash);
    }

    @Test
    void the_hashed_entity_id_is_stable_for_the_same_key_however_it_was_written() {
      List<String> reversed = new ArrayList<>(ids(1, 1_000));
      Collections.reverse(reversed);
      reversed.add("500");

      assertThat(StreamKey.of("swing", reversed).entityId()).isEqualTo(longKey.entityId());
      assertThat(StreamKey.parse(longKey.value()).entityId()).isEqualTo(longKey.entityId());
    }

    @Test
    void different_long_keys_have_different_entity_ids() {
      assertThat(StreamKey.of("swing", ids(1, 1_001)).entityId()).isNotEqualTo(longKey.entityId());
      assertThat(StreamKey.of("intraday", ids(1, 1_000)).entityId())
          .isNotEqualTo(longKey.entityId());
    }

    @Test
    void a_long_key_has_a_short_label_with_type_and_instrument_count() {
      String label = longKey.label();

      assertThat(label)
          .startsWith("type:swing")
          .contains("1000 instruments")
          .contains(longKey.entityId().substring(0, "sha256:".length() + 16));
      assertThat(label.length()).isLessThan(80);
    }

    @Test
    void a_key_between_label_and_entity_id_limits_is_shortened_too() {
      StreamKey middle = StreamKey.of("swing", ids(1_000_000, 1_000_016));
      assertThat(middle.value()).hasSizeBetween(121, 180);
      assertThat(middle.entityId()).isEqualTo(middle.value());
      assertThat(middle.label()).contains("17 instruments").hasSizeLessThan(80);
    }

    @Test
    void a_null_instrument_is_refused_with_a_reason() {
      assertThatThrownBy(
              () -> new StreamKey("swing", java.util.Arrays.asList(Instrument.parse("1"), null)))
          .isInstanceOf(InvalidStreamKeyException.class)
          .hasMessageContaining("missing");
    }
  }

  @Nested
  class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void a_key_is_written_as_the_json_string_of_its_value() throws Exception {
      StreamKey key = StreamKey.of("swing", List.of("3", "NSE_FNO:55796", "1"));

      assertThat(mapper.writeValueAsString(key)).isEqualTo("\"type:swing|ids:1,3,NSE_FNO:55796\"");
    }

    @Test
    void the_json_string_reads_back_to_an_equal_key() throws Exception {
      StreamKey key = StreamKey.of("swing", List.of("3", "NSE_FNO:55796", "1"));

      StreamKey read = mapper.readValue(mapper.writeValueAsString(key), StreamKey.class);

      assertThat(read).isEqualTo(key);
    }

    @Test
    void an_unsorted_json_string_reads_to_the_canonical_key() throws Exception {
      StreamKey read = mapper.readValue("\"type:swing|ids:3,1,2,2\"", StreamKey.class);

      assertThat(read.value()).isEqualTo("type:swing|ids:1,2,3");
    }

    @Test
    void a_key_inside_another_object_is_also_a_plain_string() throws Exception {
      Holder holder = new Holder(StreamKey.of("swing", List.of("2", "1")));

      String json = mapper.writeValueAsString(holder);

      assertThat(json).isEqualTo("{\"key\":\"type:swing|ids:1,2\"}");
      assertThat(mapper.readValue(json, Holder.class)).isEqualTo(holder);
    }
  }

  @Test
  void the_short_id_is_twelve_base32_characters_of_the_keys_hash_the_same_however_written() {
    StreamKey key = StreamKey.of("swing", List.of("3", "1", "2", "2"));
    assertThat(key.shortId()).isEqualTo("omlvnj6r6i4l");
    assertThat(StreamKey.parse("type:swing|ids:2,1,3").shortId()).isEqualTo(key.shortId());
    assertThat(StreamKey.of("swing", List.of("1", "2")).shortId()).isNotEqualTo(key.shortId());
    assertThat(StreamKey.isShortId(key.shortId())).isTrue();
    assertThat(StreamKey.isShortId("type:swing|ids:1")).isFalse();
    assertThat(StreamKey.isShortId("OMLVNJ6R6I4L")).isFalse();
    assertThat(StreamKey.isShortId("omlvnj6r6i4")).isFalse();
  }
}
