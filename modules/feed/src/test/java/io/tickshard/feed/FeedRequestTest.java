package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON requests a client sends: checked as parsed JSON, so field types are checked too. */
class FeedRequestTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<Instrument> instruments(int count) {
    ExchangeSegment[] segments = ExchangeSegment.values();
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> Instrument.of(segments[i % segments.length], 1000 + i))
        .toList();
  }

  private static JsonNode json(FeedRequest request) throws Exception {
    return MAPPER.readTree(request.toJson());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void subscribing250InstrumentsInQuoteModeTakesThreeMessagesOf100_100And50() throws Exception {
    List<Instrument> wanted = instruments(250);

    List<FeedRequest> requests = FeedRequest.subscribe(FeedMode.QUOTE, wanted);

    assertThat(requests).extracting(r -> r.instruments().size()).containsExactly(100, 100, 50);
    List<Instrument> sent = new ArrayList<>();
    for (FeedRequest request : requests) {
      JsonNode root = json(request);
      assertThat(fieldNames(root))
          .containsExactly("RequestCode", "InstrumentCount", "InstrumentList");
      assertThat(root.get("RequestCode").isInt()).isTrue();
      assertThat(root.get("RequestCode").intValue()).isEqualTo(17);
      assertThat(root.get("InstrumentCount").isInt()).isTrue();
      JsonNode list = root.get("InstrumentList");
      assertThat(list.isArray()).isTrue();
      assertThat(root.get("InstrumentCount").intValue()).isEqualTo(list.size());
      for (JsonNode item : list) {
        assertThat(fieldNames(item)).containsExactly("ExchangeSegment", "SecurityId");
        assertThat(item.get("ExchangeSegment").isTextual()).isTrue();
        assertThat(item.get("SecurityId").isTextual()).as("SecurityId is a string").isTrue();
        sent.add(
            new Instrument(
                ExchangeSegment.valueOf(item.get("ExchangeSegment").textValue()),
                Integer.parseInt(item.get("SecurityId").textValue())));
      }
    }
    assertThat(sent).as("every instrument once, in order").containsExactlyElementsOf(wanted);
  }

  @Test
  void oneInstrumentLooksExactlyLikeTheBrokersExample() throws Exception {
    FeedRequest request =
        FeedRequest.subscribe(FeedMode.QUOTE, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 1333)))
            .get(0);

    assertThat(json(request))
        .isEqualTo(
            MAPPER.readTree(
                "{\"RequestCode\": 17, \"InstrumentCount\": 1, \"InstrumentList\":"
                    + " [{\"ExchangeSegment\": \"NSE_EQ\", \"SecurityId\": \"1333\"}]}"));
  }

  @Test
  void chunksBreakAtExactly100() {
    assertThat(FeedRequest.subscribe(FeedMode.FULL, instruments(100))).hasSize(1);
    assertThat(FeedRequest.subscribe(FeedMode.FULL, instruments(101)))
        .extracting(r -> r.instruments().size())
        .containsExactly(100, 1);
    assertThat(FeedRequest.unsubscribe(FeedMode.FULL, List.of())).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"TICKER, 15, 16", "QUOTE, 17, 18", "FULL, 21, 22"})
  void eachModeHasItsSubscribeAndUnsubscribeCode(FeedMode mode, int subscribe, int unsubscribe)
      throws Exception {
    List<Instrument> some = instruments(3);

    FeedRequest sub = FeedRequest.subscribe(mode, some).get(0);
    FeedRequest unsub = FeedRequest.unsubscribe(mode, some).get(0);

    assertThat(json(sub).get("RequestCode").intValue()).isEqualTo(subscribe);
    assertThat(json(unsub).get("RequestCode").intValue()).isEqualTo(unsubscribe);
    assertThat(sub.code().isSubscribe()).isTrue();
    assertThat(unsub.code().isUnsubscribe()).isTrue();
    assertThat(sub.code().mode()).contains(mode);
    assertThat(unsub.code().mode()).contains(mode);
  }

  @Test
  void disconnectIsTheRequestCodeAlone() throws Exception {
    FeedRequest disconnect = FeedRequest.disconnect();

    assertThat(disconnect.toJson()).isEqualTo("{\"RequestCode\":12}");
    assertThat(fieldNames(json(disconnect))).containsExactly("RequestCode");
    assertThat(FeedRequest.parse(disconnect.toJson())).isEqualTo(disconnect);
  }

  @Test
  void disconnectCannotCarryInstruments() {
    assertThatThrownBy(() -> new FeedRequest(RequestCode.DISCONNECT, instruments(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no instruments");
  }

  @Test
  void everyRequestSurvivesToJsonAndParse() {
    Random random = new Random(42);
    for (RequestCode code : RequestCode.values()) {
      if (code == RequestCode.DISCONNECT) {
        continue;
      }
      for (int round = 0; round < 20; round++) {
        List<Instrument> list = new ArrayList<>();
        int count = random.nextInt(101);
        for (int i = 0; i < count; i++) {
          ExchangeSegment segment =
              ExchangeSegment.values()[random.nextInt(ExchangeSegment.values().length)];
          list.add(Instrument.of(segment, 1 + random.nextInt(Integer.MAX_VALUE)));
        }
        FeedRequest request = new FeedRequest(code, list);

        assertThat(FeedRequest.parse(request.toJson())).isEqualTo(request);
      }
    }
  }

  @Test
  void parseAcceptsANumericSecurityId() {
    FeedRequest parsed =
        FeedRequest.parse(
            "{\"RequestCode\":21,\"InstrumentCount\":1,"
                + "\"InstrumentList\":[{\"ExchangeSegment\":\"NSE_FNO\",\"SecurityId\":55796}]}");

    assertThat(parsed)
        .isEqualTo(
            new FeedRequest(
                RequestCode.SUBSCRIBE_FULL,
                List.of(Instrument.of(ExchangeSegment.NSE_FNO, 55796))));
  }

  @Test
  void textThatIsNotJsonIsRejected() {
    assertRejected("hello", "not JSON");
    assertRejected("{\"RequestCode\":", "not JSON");
    assertRejected("[17]", "not a JSON object");
  }

  @Test
  void anUnknownOrMissingRequestCodeIsRejected() {
    assertRejected("{\"RequestCode\":99,\"InstrumentList\":[]}", "unknown RequestCode 99");
    assertRejected("{\"InstrumentList\":[]}", "RequestCode");
    assertRejected("{\"RequestCode\":\"seventeen\",\"InstrumentList\":[]}", "RequestCode");
    assertRejected("{\"RequestCode\":17.5,\"InstrumentList\":[]}", "RequestCode");
    assertRejected(null, "empty");
  }

  @Test
  void anUnknownSegmentIsRejectedByName() {
    assertRejected(request("{\"ExchangeSegment\":\"NSE_XYZ\",\"SecurityId\":\"1\"}"), "NSE_XYZ");
    assertRejected(request("{\"ExchangeSegment\":\"nse_eq\",\"SecurityId\":\"1\"}"), "nse_eq");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc\"", "\"0\"", "\"-5\"", "\"2147483648\"", "\"\"", "1.5"})
  void aBadSecurityIdIsRejected(String id) {
    assertRejected(
        request("{\"ExchangeSegment\":\"NSE_EQ\",\"SecurityId\":" + id + "}"), "security id");
  }

  @Test
  void aMissingListOrFieldIsRejected() {
    assertRejected("{\"RequestCode\":17}", "InstrumentList");
    assertRejected(request("{\"ExchangeSegment\":\"NSE_EQ\"}"), "SecurityId");
  }

  private static String request(String instrument) {
    return "{\"RequestCode\":17,\"InstrumentCount\":1,\"InstrumentList\":[" + instrument + "]}";
  }

  private static void assertRejected(String text, String reasonMentions) {
    assertThatThrownBy(() -> FeedRequest.parse(text))
        .isInstanceOf(FeedRequest.MalformedRequestException.class)
        .hasMessageContaining(reasonMentions);
  }
}
