package io.tickshard.streams.candles;

import java.util.function.Consumer;

/**
 * Instrument key → {@link FormingMinute}, open addressing over primitive keys: a lookup per tick
 * allocates nothing (a {@code HashMap} would box the key or need an {@code Instrument} made from
 * the tick's segment name and id). Keys are {@link FormingMinute#key}; 0 marks an empty slot, which
 * no instrument has (security ids are positive).
 */
final class InstrumentSlots {
  private long[] keys = new long[64];
  private FormingMinute[] values = new FormingMinute[64];
  private int size;

  FormingMinute get(long key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
      if (keys[i] == 0) {
        return null;
      }
    }
  }

  void put(long key, FormingMinute value) {
    if ((size + 1) * 2 > keys.length) {
      resize();
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  void forEach(Consumer<FormingMinute> action) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        action.accept(values[i]);
      }
    }
  }

  int size() {
    return size;
  }

  private void resize() {
    long[] oldKeys = keys;
    FormingMinute[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new FormingMinute[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** Spreads the segment (high bits) and sequential ids over the table. */
  private static int mix(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
