package io.tickshard.bench.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Which instruments each stream key of a run subscribes: {@code keys} keys of {@code
 * instrumentsPerKey} NSE_EQ security ids each, disjoint and consecutive from {@code firstId}. The
 * tool and its baseline server derive the same keys from the same three numbers.
 */
public record KeyLayout(int keys, int instrumentsPerKey, int firstId) {
  public KeyLayout {
    if (keys < 1 || instrumentsPerKey < 1 || firstId < 1) {
      throw new IllegalArgumentException("keys, instruments per key and first id must be >= 1");
    }
    if ((long) keys * instrumentsPerKey > 25_000) {
      throw new IllegalArgumentException(
          "at most 25,000 instruments (5 broker sockets of 5,000), asked "
              + (long) keys * instrumentsPerKey);
    }
  }

  public int instruments() {
    return keys * instrumentsPerKey;
  }

  public List<Integer> ids(int key) {
    List<Integer> ids = new ArrayList<>(instrumentsPerKey);
    for (int i = 0; i < instrumentsPerKey; i++) {
      ids.add(firstId + key * instrumentsPerKey + i);
    }
    return ids;
  }

  public List<Integer> allIds() {
    List<Integer> ids = new ArrayList<>(instruments());
    for (int i = 0; i < instruments(); i++) {
      ids.add(firstId + i);
    }
    return ids;
  }

  /** The key a security id belongs to, or -1 when it is none of this layout's. */
  public int keyOf(int securityId) {
    int offset = securityId - firstId;
    return offset < 0 || offset >= instruments() ? -1 : offset / instrumentsPerKey;
  }
}
