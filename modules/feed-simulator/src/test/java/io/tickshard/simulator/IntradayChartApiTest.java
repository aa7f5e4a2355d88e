package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.QuotePacket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intraday chart API over real HTTP, next to a real feed client: the record is what was sent,
 * the API answers the record, and it refuses as the broker does.
 */
class IntradayChartApiTest {
  private static final Instrument HDFC_BANK = Instrument.of(ExchangeSegment.NSE_EQ, 1333);
  private static final Instrument NIFTY_FUTURE = Instrument.of(ExchangeSegment.NSE_FNO, 35001);
  private static final AtomicInteger clients = new AtomicInteger();

  private static FeedSimulator simulator;
  private static ChartClient charts;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 7));
    charts = new ChartClient(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  /** A client id of the test's own, so that no two tests share a rate-limit window. */
  private static String freshClient() {
    String clientId = "chart-client-" + clients.incrementAndGet();
    simulator.state().addCredential(clientId, clientId + "-token");
    return clientId;
  }

  @Test
  void every_minute_is_what_a_feed_client_received_and_the_api_answers_it() {
    List<FeedPacket> received;
    try (FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(FeedRequest.subscribe(FeedMode.QUOTE, List.of(HDFC_BANK, NIFTY_FUTURE)));
      // Across a minute boundary, so that one minute's volume is a difference of day volumes.
      await()
          .atMost(Duration.ofSeconds(75))
          .until(() -> simulator.state().minutes(HDFC_BANK).size() >= 2);
      simulator.state().stall(Optional.empty(), true);
      // Stalled, nothing more is made; what was already made still arrives, then no more.
      AtomicInteger seen = new AtomicInteger(-1);
      await()
          .pollInterval(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.getAndSet(client.packets.size()) == client.packets.size());
      received = List.copyOf(client.packets);
    }
    for (Instrument instrument : List.of(HDFC_BANK, NIFTY_FUTURE)) {
      List<RecordedMinute> fromPackets = minutesFrom(received, instrument);
      List<RecordedMinute> recorded = simulator.state().minutes(instrument);
      assertThat(recorded).hasSizeGreaterThanOrEqualTo(2).isEqualTo(fromPackets);

      Instant from = recorded.get(0).start();
      ChartClient.Answer answer =
          charts.post(
              SimulatorConfig.DEFAULT_CLIENT_ID,
              SimulatorConfig.DEFAULT_ACCESS_TOKEN,
              ChartClient.body(instrument, "1", from, from.plus(Duration.ofHours(1))).toString());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(ChartClient.minutes(answer.body())).isEqualTo(recorded);
    }
    assertThat(simulator.state().minutes(NIFTY_FUTURE)).allMatch(m -> m.openInterest() > 0);
  }

  @Test
  void five_minute_candles_fold_the_one_minute_record() {
    String clientId = freshClient();
    Instrument instrument = Instrument.of(ExchangeSegment.NSE_EQ, 2885);
    try (FeedClient client = FeedClient.connect(simulator.feedUrl(clientId, clientId + "-token"))) {
      client.send(FeedRequest.subscribe(FeedMode.QUOTE, List.of(instrument)));
      await().until(() -> !simulator.state().minutes(instrument).isEmpty());
    }
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofMinutes(5));
    String token = clientId + "-token";
    List<RecordedMinute> ones =
        ChartClient.minutes(
            charts
                .post(clientId, token, ChartClient.body(instrument, "1", from, to).toString())
                .body());
    List<RecordedMinute> fives =
        ChartClient.minutes(
            charts
                .post(clientId, token, ChartClient.body(instrument, "5", from, to).toString())
                .body());
    assertThat(ones).isNotEmpty();
    assertThat(fives).isEqualTo(IntradayChartApi.fold(ones, ChartInterval.FIVE));
    assertThat(fives).allMatch(c -> c.start().getEpochSecond() % 300 == 0);
    assertThat(fives.stream().mapToLong(RecordedMinute::volume).sum())
        .isEqualTo(ones.stream().mapToLong(RecordedMinute::volume).sum());
  }

  @Test
  void refuses_missing_wrong_and_expired_credentials_with_dh_901() {
    String body = ChartClient.body(HDFC_BANK, "1", Instant.now(), Instant.now()).toString();
    String clientId = freshClient();
    String token = clientId + "-token";
    simulator.state().expireToken(token);
    for (ChartClient.Answer answer :
        List.of(
            charts.post(null, null, body),
            charts.post(SimulatorConfig.DEFAULT_CLIENT_ID, "not-the-token", body),
            charts.post(clientId, token, body))) {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.body().get("errorCode").asText()).isEqualTo("DH-901");
      assertThat(answer.body().get("errorType").asText()).isEqualTo("Invalid_Authentication");
    }
  }

  @Test
  void a_sixth_request_within_one_second_is_refused_with_dh_904() {
    String clientId = freshClient();
    Instant now = Instant.now();
    String body = ChartClient.body(HDFC_BANK, "1", now.minusSeconds(60), now).toString();
    List<CompletableFuture<ChartClient.Answer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(charts.postAsync(clientId, clientId + "-token", body));
    }
    List<Integer> statuses = calls.stream().map(c -> c.join().status()).sorted().toList();
    assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
    ChartClient.Answer refused =
        calls.stream()
            .map(CompletableFuture::join)
            .filter(a -> a.status() == 429)
            .findFirst()
            .get();
    assertThat(refused.body().get("errorCode").asText()).isEqualTo("DH-904");

    await()
        .pollDelay(Duration.ofMillis(1_100))
        .until(() -> charts.post(clientId, clientId + "-token", body).status() == 200);
  }

  @Test
  void bad_input_is_refused_with_dh_905() {
    String clientId = freshClient();
    String token = clientId + "-token";
    Instant now = Instant.now();
    var missing = ChartClient.body(HDFC_BANK, "1", now.minusSeconds(60), now);
    missing.remove("securityId");
    var badInterval = ChartClient.body(HDFC_BANK, "7", now.minusSeconds(60), now);
    var badDate = ChartClient.body(HDFC_BANK, "1", now.minusSeconds(60), now);
    badDate.put("fromDate", "11/09/2024");
    for (String body :
        List.of(missing.toString(), badInterval.toString(), badDate.toString(), "not json")) {
      ChartClient.Answer answer = charts.post(clientId, token, body);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body().get("errorCode").asText()).isEqualTo("DH-905");
      assertThat(answer.body().get("errorType").asText()).isEqualTo("Input_Exception");
    }
  }

  // ---- what a candle builder computes from the packets ------------------------------------

  /** Minutes as tickshard's builder defines them, from the quote and OI packets received. */
  private static List<RecordedMinute> minutesFrom(List<FeedPacket> packets, Instrument instrument) {
    List<RecordedMinute> minutes = new ArrayList<>();
    long beforeMinute = 0;
    long lastCumulative = 0;
    RecordedMinute forming = null;
    for (FeedPacket packet : packets) {
      if (packet instanceof QuotePacket quote
          && is(instrument, quote.segment(), quote.securityId())) {
        Instant trade = LastTradeTime.toInstant(quote.lastTradeTime());
        Instant start = Instant.ofEpochSecond(Math.floorDiv(trade.getEpochSecond(), 60) * 60);
        float ltp = quote.lastPrice();
        if (forming == null || !forming.start().equals(start)) {
          if (forming != null) {
            minutes.add(forming);
          }
          beforeMinute = lastCumulative;
          forming = new RecordedMinute(start, ltp, ltp, ltp, ltp, 0, 0);
        }
        lastCumulative = quote.volume();
        forming =
            new RecordedMinute(
                start,
                forming.open(),
                Math.max(forming.high(), ltp),
                Math.min(forming.low(), ltp),
                ltp,
                lastCumulative - beforeMinute,
                forming.openInterest());
      } else if (packet instanceof OiPacket oi
          && is(instrument, oi.segment(), oi.securityId())
          && forming != null) {
        forming =
            new RecordedMinute(
                forming.start(),
                forming.open(),
                forming.high(),
                forming.low(),
                forming.close(),
                forming.volume(),
                oi.openInterest());
      }
    }
    if (forming != null) {
      minutes.add(forming);
    }
    return minutes;
  }

  private static boolean is(Instrument instrument, ExchangeSegment segment, int securityId) {
    return instrument.segment() == segment && instrument.securityId() == securityId;
  }
}
