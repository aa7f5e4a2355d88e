package io.tickshard.service.rig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A viewer of a key whose quotes the simulator numbers per instrument ({@code --stamp-ticks}: the
 * volume counts each instrument's packets on its connection): it keeps no events, only each
 * instrument's last number and where the numbers skipped, so it keeps up with thousands of ticks a
 * second for as long as it watches.
 */
public final class NumberedTicks implements AutoCloseable {
  private static final int GAPS_KEPT = 20;

  private final NodeProcess node;
  private final EventStream stream;
  private final Map<Integer, Integer> last = new HashMap<>();
  private final List<String> gaps = new ArrayList<>();
  private long ticks;
  private long skipped;

  public NumberedTicks(NodeProcess node, String key) {
    this.node = node;
    boolean[] tick = {false};
    stream =
        new EventStream(
            node,
            key,
            "numbered-ticks-" + node.node(),
            line -> {
              if (line.startsWith("event:")) {
                tick[0] = line.substring(6).trim().equals("tick");
              } else if (tick[0] && line.startsWith("data:")) {
                count(StreamsApi.parse(line.substring(5).trim()));
              }
            });
  }

  private synchronized void count(JsonNode tick) {
    if (!"quote".equals(tick.path("kind").asText())) {
      return;
    }
    ticks++;
    int securityId = tick.path("securityId").asInt();
    int number = tick.path("volume").asInt();
    Integer before = last.put(securityId, number);
    if (before != null && number != before + 1) {
      skipped += Math.max(0, number - before - 1);
      if (gaps.size() < GAPS_KEPT) {
        gaps.add(securityId + ": " + before + "→" + number);
      }
    }
  }

  public NodeProcess node() {
    return node;
  }

  /** From now on: skips before this are forgotten (a warm-up), the numbers seen are kept. */
  public synchronized void mark() {
    gaps.clear();
    skipped = 0;
  }

  public synchronized long ticks() {
    return ticks;
  }

  public synchronized int instruments() {
    return last.size();
  }

  /** Ticks missed: from each instrument's first tick on, the numbers its later ticks skipped. */
  public synchronized long skipped() {
    return skipped;
  }

  /** The first skips, as {@code id: before→after}. */
  public synchronized List<String> gaps() {
    return List.copyOf(gaps);
  }

  @Override
  public void close() {
    stream.close();
  }

  @Override
  public synchronized String toString() {
    return "viewer on " + node.node() + " (" + ticks + " ticks, " + instruments() + " instruments)";
  }
}
