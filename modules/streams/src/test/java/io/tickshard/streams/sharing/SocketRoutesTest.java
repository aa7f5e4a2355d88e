package io.tickshard.streams.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.QuotePacket;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.TickTopic;
import io.tickshard.streams.upstream.TickSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a socket publishes for its keys: one batch per key for what one burst brought. */
class SocketRoutesTest {
  private static final ActorTestKit kit = ActorTestKit.create();
  private static final Instant AT = Instant.parse("2026-12-07T04:00:00Z");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Tick quote(int id, float price) {
    return Tick.from(
        new QuotePacket(
            ExchangeSegment.NSE_EQ, id, price, 1, 0, price, 100, 5, 6, price, price, price, price),
        AT);
  }

  private record Watched(SocketRoutes.Outlet outlet, TestProbe<TickBatch> probe) {}

  private static Watched watched(String screener, FeedMode mode, List<Integer> ids) {
    StreamKey key = StreamKey.of(screener, ids.stream().map(id -> "NSE_EQ:" + id).toList());
    ActorRef<Topic.Command<TickBatch>> topic = kit.spawn(TickTopic.create(key));
    TestProbe<TickBatch> probe = kit.createTestProbe();
    topic.tell(Topic.subscribe(probe.getRef()));
    return new Watched(new SocketRoutes.Outlet(key, mode, key.instruments(), topic), probe);
  }

  @Test
  void a_burst_is_one_batch_per_key_in_its_mode_and_in_order() {
    Watched quotes = watched("quotes", FeedMode.QUOTE, List.of(1, 2, 3));
    Watched tickers = watched("tickers", FeedMode.TICKER, List.of(2, 3));
    SocketRoutes routes = new SocketRoutes();
    routes.replace(List.of(quotes.outlet(), tickers.outlet()));
    TickSink sink = routes.sink();

    sink.publish(quote(1, 10f));
    sink.publish(quote(2, 20f));
    sink.publish(quote(9, 90f)); // no key needs it
    sink.publish(quote(3, 30f));
    sink.flush();

    TickBatch toQuotes = quotes.probe().receiveMessage();
    assertThat(toQuotes.ticks()).extracting(Tick::securityId).containsExactly(1, 2, 3);
    assertThat(toQuotes.ticks()).extracting(Tick::kind).containsOnly("quote");
    TickBatch toTickers = tickers.probe().receiveMessage();
    assertThat(toTickers.ticks()).extracting(Tick::securityId).containsExactly(2, 3);
    assertThat(toTickers.ticks()).extracting(Tick::kind).containsOnly("ticker");
    quotes.probe().expectNoMessage(Duration.ofMillis(200));
    tickers.probe().expectNoMessage(Duration.ZERO);

    sink.flush(); // nothing gathered: nothing sent
    quotes.probe().expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void a_burst_larger_than_a_batch_goes_out_in_batches_of_at_most_the_limit() {
    List<Integer> ids = IntStream.rangeClosed(1, 2_500).boxed().toList();
    Watched big = watched("big", FeedMode.QUOTE, ids);
    SocketRoutes routes = new SocketRoutes();
    routes.replace(List.of(big.outlet()));
    TickSink sink = routes.sink();

    ids.forEach(id -> sink.publish(quote(id, id)));
    sink.flush();

    List<TickBatch> batches = big.probe().receiveSeveralMessages(3);
    assertThat(batches).extracting(TickBatch::size).containsExactly(1_000, 1_000, 500);
    assertThat(batches.stream().flatMap(b -> b.ticks().stream()).map(Tick::securityId))
        .containsExactlyElementsOf(ids);
  }

  /**
   * A connection still closing and the one that replaced it publish at once, each on its own
   * thread: what each gathers goes out whole with its own flush, never with the other's.
   */
  @Test
  void two_connections_of_one_socket_gather_apart() throws Exception {
    List<Integer> ids = IntStream.rangeClosed(1, 200).boxed().toList();
    Watched key = watched("two", FeedMode.QUOTE, ids);
    SocketRoutes routes = new SocketRoutes();
    routes.replace(List.of(key.outlet()));
    int messages = 200;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> connections = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      TickSink sink = routes.sink();
      Thread connection =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int m = 0; m < messages; m++) {
                  ids.forEach(id -> sink.publish(quote(id, id)));
                  sink.flush();
                }
              });
      connection.start();
      connections.add(connection);
    }
    go.countDown();
    for (Thread connection : connections) {
      connection.join(30_000);
    }

    // Every broker message of either connection arrives as one whole batch.
    List<TickBatch> batches = key.probe().receiveSeveralMessages(2 * messages);
    assertThat(batches)
        .allSatisfy(
            batch ->
                assertThat(batch.ticks())
                    .extracting(Tick::securityId)
                    .containsExactlyElementsOf(ids));
    assertThat(key.outlet().ticks()).isEqualTo(2L * messages * ids.size());
  }
}
