package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.simulator.SimulatorState.ConnectionInfo;
import io.tickshard.simulator.SimulatorState.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The broker's side of the proofs: the simulator's admin view of the connections it holds, what
 * each subscribes, and its timeline since a mark (a scenario's start), with the properties the
 * cluster promises about them.
 */
public final class BrokerSockets {
  /** The sockets a broker account allows (the simulator's and tickshard's default budget). */
  public static final int ACCOUNT_SOCKETS = 5;

  private final FeedSimulator simulator;
  private int timelineMark;
  private long evictionsMark;

  public BrokerSockets(FeedSimulator simulator) {
    this.simulator = simulator;
    mark();
  }

  /** From now on: what "since the mark" counts from. */
  public BrokerSockets mark() {
    timelineMark = simulator.state().timeline().size();
    evictionsMark = simulator.state().stats().evictions();
    return this;
  }

  public SimulatorState state() {
    return simulator.state();
  }

  public long openCount() {
    return simulator.state().stats().connectionsOpen();
  }

  public List<ConnectionInfo> open() {
    return simulator.state().connections();
  }

  /** Connections that opened since the mark, oldest first. */
  public List<TimelineEntry> sinceMark() {
    List<TimelineEntry> timeline = simulator.state().timeline();
    return timeline.subList(Math.min(timelineMark, timeline.size()), timeline.size());
  }

  /** Evictions (805: one connection more than the account allows) since the mark. */
  public long evictionsSinceMark() {
    return simulator.state().stats().evictions() - evictionsMark;
  }

  /** What one connection subscribes, instrument → mode; no instrument twice on it. */
  public static Map<String, String> subscribed(ConnectionInfo connection) {
    Map<String, String> subscribed = new TreeMap<>();
    for (SimulatorState.Subscription s : connection.instruments()) {
      String previous = subscribed.put(s.segment() + ":" + s.securityId(), s.mode());
      assertThat(previous).as("%s:%d subscribed twice", s.segment(), s.securityId()).isNull();
    }
    return subscribed;
  }

  /**
   * The open connections together carry exactly {@code expected}, each instrument on one of them,
   * in the highest mode a key needs; no more than the account's sockets are open.
   */
  public List<ConnectionInfo> assertCarrying(Map<String, String> expected) {
    List<ConnectionInfo> open = open();
    assertThat(open).as("open connections").hasSizeLessThanOrEqualTo(ACCOUNT_SOCKETS);
    Map<String, String> carried = new TreeMap<>();
    for (ConnectionInfo connection : open) {
      subscribed(connection)
          .forEach(
              (instrument, mode) ->
                  assertThat(carried.put(instrument, mode))
                      .as("%s on two open connections", instrument)
                      .isNull());
    }
    assertThat(carried).as(Subscriptions.difference(expected, carried)).isEqualTo(expected);
    return open;
  }

  /** The one open connection carries exactly {@code expected}, and nothing else is open. */
  public ConnectionInfo assertOneConnectionCarrying(Map<String, String> expected) {
    List<ConnectionInfo> open = open();
    assertThat(open).as("open connections at the simulator").hasSize(1);
    ConnectionInfo connection = open.get(0);
    Map<String, String> subscribed = subscribed(connection);
    assertThat(subscribed).as(Subscriptions.difference(expected, subscribed)).isEqualTo(expected);
    assertThat(connection.instrumentCount()).isEqualTo(expected.size());
    Map<String, Long> counted = new TreeMap<>();
    ScreenerKey.MODES.forEach(mode -> counted.put(mode, 0L));
    connection.instrumentsPerMode().forEach((mode, n) -> counted.put(mode, (long) n));
    assertThat(counted).isEqualTo(Subscriptions.perMode(expected));
    return connection;
  }

  private record Interval(long id, Instant from, Instant to, Set<String> instruments) {
    boolean overlaps(Interval other) {
      return from.isBefore(other.to) && other.from.isBefore(to);
    }
  }

  private List<Interval> intervals() {
    return simulator.state().timeline().stream()
        .map(
            e ->
                new Interval(
                    e.id(),
                    Instant.parse(e.openedAt()),
                    e.closedAt() == null ? Instant.MAX : Instant.parse(e.closedAt()),
                    new HashSet<>(e.instruments())))
        .toList();
  }

  /**
   * The shared path's promise, over the whole timeline: no instrument was ever carried by two
   * connections open at the same time (no socket slot ran twice, none subscribed an instrument
   * another one carried), and never more connections were open at once than the account allows.
   */
  public void assertSharedPromise() {
    List<Interval> intervals = intervals();
    for (int i = 0; i < intervals.size(); i++) {
      Interval a = intervals.get(i);
      for (int j = i + 1; j < intervals.size(); j++) {
        Interval b = intervals.get(j);
        if (a.overlaps(b)) {
          Set<String> both = new TreeSet<>(a.instruments());
          both.retainAll(b.instruments());
          assertThat(both)
              .as(
                  "instruments on connection %d (%s..%s) and %d (%s..%s) at once",
                  a.id(), a.from(), a.to(), b.id(), b.from(), b.to())
              .isEmpty();
        }
      }
      // The most connections open at once is reached as one of them opens.
      long openThen =
          intervals.stream()
              .filter(b -> !b.from().isAfter(a.from()) && b.to().isAfter(a.from()))
              .count();
      assertThat(openThen)
          .as("connections open when %d opened at %s", a.id(), a.from())
          .isLessThanOrEqualTo(ACCOUNT_SOCKETS);
    }
  }

  /**
   * The dedicated policy's promise: no key (one instrument set) ever had two sockets open at once.
   */
  public void assertNeverTwoSocketsForOneKey() {
    Map<String, List<TimelineEntry>> byKey =
        simulator.state().timeline().stream()
            .collect(Collectors.groupingBy(e -> String.join(",", e.instruments())));
    byKey.forEach(
        (instruments, entries) -> {
          List<TimelineEntry> sorted = new ArrayList<>(entries);
          sorted.sort((a, b) -> Instant.parse(a.openedAt()).compareTo(Instant.parse(b.openedAt())));
          for (int i = 1; i < sorted.size(); i++) {
            TimelineEntry before = sorted.get(i - 1);
            TimelineEntry after = sorted.get(i);
            assertThat(before.closedAt())
                .as("socket %d for %s open when %d opened", before.id(), instruments, after.id())
                .isNotNull();
            assertThat(Instant.parse(before.closedAt()))
                .as(
                    "socket %d for %s closed before %d opened",
                    before.id(), instruments, after.id())
                .isBeforeOrEqualTo(Instant.parse(after.openedAt()));
          }
        });
  }
}
