package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A key's live ticks as a browser on one node receives them (docs/api.md, "Live ticks"): every
 * event with the moment it arrived here.
 */
public final class SseViewer implements AutoCloseable {
  public record Event(Instant arrived, String name, JsonNode data) {}

  private final String key;
  private final NodeProcess node;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final EventStream stream;

  public SseViewer(NodeProcess node, String key) {
    this.key = key;
    this.node = node;
    String[] name = {null};
    StringBuilder data = new StringBuilder();
    stream =
        new EventStream(
            node,
            key,
            "viewer-" + key,
            line -> {
              if (line.isEmpty()) {
                if (data.length() > 0) {
                  events.add(new Event(Instant.now(), name[0], StreamsApi.parse(data.toString())));
                }
                name[0] = null;
                data.setLength(0);
              } else if (line.startsWith("event:")) {
                name[0] = line.substring(6).trim();
              } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
              }
            });
  }

  public String key() {
    return key;
  }

  public NodeProcess node() {
    return node;
  }

  /** The HTTP status of the event stream's answer (waits for it). */
  public int status() {
    return stream.status();
  }

  public List<JsonNode> ticks() {
    return tickEvents().map(Event::data).toList();
  }

  private Stream<Event> tickEvents() {
    return events.stream().filter(e -> "tick".equals(e.name()));
  }

  /** When each tick arrived here. */
  public List<Instant> arrivals() {
    return tickEvents().map(Event::arrived).toList();
  }

  public List<JsonNode> snapshotEntries() {
    List<JsonNode> entries = new ArrayList<>();
    events.stream()
        .filter(e -> "snapshot".equals(e.name()))
        .forEach(e -> e.data().forEach(entries::add));
    return entries;
  }

  /** The instruments its ticks named, as {@code NSE_EQ:1333}. */
  public Set<String> instrumentsSeen() {
    return ticks().stream()
        .map(t -> t.path("segment").asText() + ":" + t.path("securityId").asInt())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * When the first tick that its node received from the broker after {@code moment} arrived here,
   * or null: ticks already on their way at {@code moment} do not count.
   */
  public Instant firstTickReceivedAfter(Instant moment) {
    return tickEvents()
        .filter(e -> Instant.parse(e.data().path("receivedAt").asText()).isAfter(moment))
        .map(Event::arrived)
        .findFirst()
        .orElse(null);
  }

  /**
   * Every tick and snapshot entry it got is one of {@code key}'s instruments, of a kind {@code
   * key}'s mode carries: a key riding on a socket that carries its instruments in a higher mode for
   * another key still gets only its own, cut to its mode.
   */
  public void assertOnlyItsInstrumentsInItsMode(ScreenerKey key) {
    Set<String> own = key.instruments();
    Set<String> allowed =
        switch (key.mode()) {
          case "ticker" -> Set.of("ticker", "prev_close");
          case "quote" -> Set.of("quote", "oi", "prev_close");
          default -> Set.of("full", "oi", "prev_close");
        };
    List<JsonNode> all = new ArrayList<>(ticks());
    all.addAll(snapshotEntries());
    assertThat(all)
        .as("%s: ticks", this)
        .allSatisfy(
            tick -> {
              assertThat(tick.path("segment").asText() + ":" + tick.path("securityId").asInt())
                  .as("%s: %s", this, tick)
                  .isIn(own);
              assertThat(tick.path("kind").asText()).as("%s: %s", this, tick).isIn(allowed);
            });
  }

  /** The events of one name ({@code leaving}, {@code feed}, ...), in the order they arrived. */
  public List<Event> named(String name) {
    return events.stream().filter(e -> name.equals(e.name())).toList();
  }

  /** When the first tick arrived here, or null. */
  public Instant firstTick() {
    return arrivals().stream().findFirst().orElse(null);
  }

  /** A tick arrived here after {@code moment}. */
  public boolean tickArrivedAfter(Instant moment) {
    return arrivals().stream().anyMatch(a -> a.isAfter(moment));
  }

  /** The longest silence between ticks that arrived after {@code from}. */
  public Duration longestGapAfter(Instant from) {
    List<Instant> after = arrivals().stream().filter(a -> !a.isBefore(from)).toList();
    Duration longest = Duration.ZERO;
    for (int i = 1; i < after.size(); i++) {
      Duration gap = Duration.between(after.get(i - 1), after.get(i));
      longest = gap.compareTo(longest) > 0 ? gap : longest;
    }
    return longest;
  }

  @Override
  public void close() {
    stream.close();
  }

  @Override
  public String toString() {
    return key + " on " + node.node();
  }
}
