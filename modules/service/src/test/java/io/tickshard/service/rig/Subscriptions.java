package io.tickshard.service.rig;

import static io.tickshard.service.rig.ScreenerKey.MODES;
import static io.tickshard.service.rig.ScreenerKey.rank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Instrument → mode maps, as a socket carries them, and how two of them differ. */
public final class Subscriptions {
  private Subscriptions() {}

  /** What the cluster must carry for {@code keys}: each instrument once, in the highest mode. */
  public static Map<String, String> needed(Collection<ScreenerKey> keys) {
    Map<String, String> needed = new TreeMap<>();
    for (ScreenerKey key : keys) {
      for (String instrument : key.instruments()) {
        needed.merge(instrument, key.mode(), (a, b) -> rank(a) >= rank(b) ? a : b);
      }
    }
    return needed;
  }

  /** How many instruments in each mode, every mode named. */
  public static Map<String, Long> perMode(Map<String, String> instruments) {
    Map<String, Long> counts = new TreeMap<>();
    MODES.forEach(mode -> counts.put(mode, 0L));
    instruments.values().forEach(mode -> counts.merge(mode, 1L, Long::sum));
    return counts;
  }

  /** How two subscription sets differ, for a failure message. */
  public static String difference(Map<String, String> expected, Map<String, String> actual) {
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    List<String> wrongMode = new ArrayList<>();
    expected.forEach(
        (instrument, mode) -> {
          String got = actual.get(instrument);
          if (got == null) {
            missing.add(instrument + "=" + mode);
          } else if (!got.equals(mode)) {
            wrongMode.add(instrument + " expected " + mode + " got " + got);
          }
        });
    actual.keySet().stream()
        .filter(i -> !expected.containsKey(i))
        .forEach(i -> extra.add(i + "=" + actual.get(i)));
    return "expected "
        + expected.size()
        + " instruments "
        + perMode(expected)
        + ", got "
        + actual.size()
        + " "
        + perMode(actual)
        + "; missing "
        + head(missing)
        + "; not needed "
        + head(extra)
        + "; in another mode "
        + head(wrongMode);
  }

  private static String head(List<String> items) {
    return items.size()
        + (items.isEmpty() ? "" : " " + items.subList(0, Math.min(10, items.size())));
  }
}
