package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.testkit.FaultyDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal goes away (its PostgreSQL stopped with SIGSTOP, as in a network blip or a paused VM)
 * and comes back: reads and running streams go on, starts and stops answer 503 journal-unavailable
 * and change nothing, and afterwards every stream is as its last acknowledged call says, holding a
 * connection slot only if it runs.
 */
class JournalOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static FaultyDatabase journal;
  private static ApiServer server;

  @BeforeAll
  static void start() {
    journal = FaultyDatabase.start();
    server = node();
  }

  /** A node on the faulty journal, noticing an outage within a second; no health check rounds. */
  private static ApiServer node() {
    return ApiServer.start(
        Map.of(
            "tickshard.journal.check-interval", "500ms",
            "tickshard.journal.check-timeout", "1s",
            "tickshard.health.schedule", "off"),
        20,
        journal.database());
  }

  @AfterAll
  static void stop() {
    server.close();
    journal.close();
  }

  @AfterEach
  void journalBack() {
    journal.resume();
    awaitJournal("up");
  }

  private static HttpResponse<String> start(String screener, int id) {
    return server.postJson(
        ApiPaths.STREAMS,
        "{\"screenerType\":\"" + screener + "\",\"instruments\":[" + id + "],\"mode\":\"quote\"}");
  }

  private static String key(String screener, int id) {
    return StreamKey.of(screener, List.of(String.valueOf(id))).value();
  }

  private static JsonNode status(String key) {
    return json(server.get(ApiPaths.stream(key)));
  }

  private static long ticks(String key) {
    return status(key).get("ticks").asLong();
  }

  private static void awaitJournal(String state) {
    await()
        .atMost(WAIT)
        .until(() -> json(server.get("/api/v1/health")).get("journal").asText().equals(state));
  }

  /**
   * How many times the key's one instrument is subscribed over the account's sockets: 1 while it
   * runs (or within the grace after it stopped), never 2.
   */
  private static int sockets(String key) {
    String id = key.substring(key.indexOf("ids:") + 4);
    return (int)
        server.simulator.state().connections().stream()
            .flatMap(c -> c.instruments().stream())
            .filter(s -> String.valueOf(s.securityId()).equals(id))
            .count();
  }

  /** Instruments placed on the sockets: each key here has one of its own. */
  private static int placedInstruments() {
    return json(server.get("/api/v1/upstream")).get("instrumentsInUse").asInt();
  }

  @Test
  void while_the_journal_is_away_reads_and_ticks_go_on_and_writes_answer_503_changing_nothing() {
    String running = key("outage", 501);
    assertThat(start("outage", 501).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> status(running).get("status").asText().equals("running"));

    journal.pause();
    awaitJournal("down");
    assertThat(json(server.get("/api/v1/health")).get("status").asText()).isEqualTo("degraded");

    // Writes are refused at once, and say why.
    HttpResponse<String> refusedStart = start("outage", 502);
    assertThat(refusedStart.statusCode()).isEqualTo(503);
    assertThat(json(refusedStart).get("type").asText()).isEqualTo("/problems/journal-unavailable");
    HttpResponse<String> refusedStop = server.delete(ApiPaths.stream(running));
    assertThat(refusedStop.statusCode()).isEqualTo(503);
    assertThat(json(refusedStop).get("type").asText()).isEqualTo("/problems/journal-unavailable");
    // Stop-all too: it stopped nothing, and says so instead of answering 200 with no keys.
    HttpResponse<String> refusedStopAll = server.postJson(ApiPaths.STREAMS + "/stop-all", "{}");
    assertThat(refusedStopAll.statusCode()).isEqualTo(503);
    assertThat(json(refusedStopAll).get("type").asText())
        .isEqualTo("/problems/journal-unavailable");

    // Reads answer, and the running stream keeps streaming on its one socket.
    long before = ticks(running);
    await().atMost(WAIT).until(() -> ticks(running) > before);
    assertThat(server.get(ApiPaths.STREAMS).statusCode()).isEqualTo(200);
    assertThat(sockets(running)).isEqualTo(1);

    Instant back = Instant.now();
    journal.resume();
    awaitJournal("up");
    // The refused calls again give their real outcome.
    await().atMost(WAIT).until(() -> start("outage", 502).statusCode() == 201);
    System.out.printf(
        "journal outage: a start accepted %d ms after the journal came back%n",
        Duration.between(back, Instant.now()).toMillis());
    assertThat(server.delete(ApiPaths.stream(running)).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> sockets(running) == 0);
    // One stream runs, and only it holds a slot: the refused start left no phantom.
    await().atMost(WAIT).until(() -> placedInstruments() == 1);
    assertThat(server.delete(ApiPaths.stream(key("outage", 502))).statusCode()).isEqualTo(200);
  }

  @Test
  void a_stop_caught_by_the_outage_ends_as_the_journal_says_and_a_retry_gives_its_outcome() {
    String key = key("caught", 511);
    assertThat(start("caught", 511).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> status(key).get("status").asText().equals("running"));

    // Paused before this node noticed: the stop's write is tried, and hangs.
    journal.pause();
    HttpResponse<String> stop = server.delete(ApiPaths.stream(key));
    assertThat(stop.statusCode()).isEqualTo(503);
    assertThat(json(stop).get("type").asText())
        .isIn("/problems/journal-unavailable", "/problems/timeout");

    journal.resume();
    awaitJournal("up");
    // Whatever the journal kept, the retried stop answers "stopped" and the socket closes.
    await().atMost(WAIT).until(() -> server.delete(ApiPaths.stream(key)).statusCode() == 200);
    assertThat(status(key).get("status").asText()).isEqualTo("stopped");
    await().atMost(WAIT).until(() -> sockets(key) == 0);
    await().atMost(WAIT).until(() -> placedInstruments() == 0);
  }

  @Test
  void
      after_the_journal_crashed_and_restarted_the_streams_are_as_acknowledged_and_survive_a_restart() {
    String kept = key("crash", 521);
    String refused = key("crash", 522);
    assertThat(start("crash", 521).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> status(kept).get("status").asText().equals("running"));

    journal.crash();
    awaitJournal("down");
    assertThat(start("crash", 522).statusCode()).isEqualTo(503);
    assertThat(server.delete(ApiPaths.stream(kept)).statusCode()).isEqualTo(503);
    journal.restart();
    awaitJournal("up");

    // As acknowledged: the kept stream runs, the refused start started nothing.
    await().atMost(WAIT).until(() -> status(kept).get("status").asText().equals("running"));
    assertThat(server.get(ApiPaths.stream(refused)).statusCode()).isEqualTo(404);
    assertThat(sockets(kept)).isEqualTo(1);
    await().atMost(WAIT).until(() -> placedInstruments() == 1);

    // A restart of the node (the whole cluster, here) brings back exactly the running set.
    ApiServer before = server;
    before.close();
    server = node();
    await().atMost(WAIT).until(() -> sockets(kept) == 1);
    assertThat(server.get(ApiPaths.stream(refused)).statusCode()).isEqualTo(404);
    assertThat(server.delete(ApiPaths.stream(kept)).statusCode()).isEqualTo(200);
  }

  @Test
  void a_start_storm_caught_by_the_outage_leaves_every_key_as_its_answer_says() throws Exception {
    int keys = 20;
    // Twenty starts at once, and the journal stops while they are being answered.
    List<CompletableFuture<HttpResponse<String>>> storm = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      int id = 600 + i;
      storm.add(CompletableFuture.supplyAsync(() -> start("storm", id)));
    }
    journal.pause();
    Map<String, Integer> answered = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      HttpResponse<String> answer = storm.get(i).get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201, 503);
      answered.put(key("storm", 600 + i), answer.statusCode());
    }
    journal.resume();
    awaitJournal("up");

    // Acknowledged starts run, on one socket each.
    answered.forEach(
        (key, code) -> {
          if (code != 503) {
            await().atMost(WAIT).until(() -> sockets(key) == 1);
          }
        });
    // A refused start, sent again, gives its real outcome; afterwards every key runs once.
    answered.forEach(
        (key, code) -> {
          if (code == 503) {
            int id = Integer.parseInt(key.substring(key.indexOf("ids:") + 4));
            await().atMost(WAIT).until(() -> start("storm", id).statusCode() != 503);
          }
        });
    answered.keySet().forEach(key -> await().atMost(WAIT).until(() -> sockets(key) == 1));
    await().atMost(WAIT).until(() -> placedInstruments() == keys);
    System.out.printf(
        "journal outage: storm of %d starts, %d answered 503%n",
        keys, answered.values().stream().filter(code -> code == 503).count());
    assertThat(server.postJson(ApiPaths.STREAMS + "/stop-all", "{}").statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> placedInstruments() == 0);
  }
}
