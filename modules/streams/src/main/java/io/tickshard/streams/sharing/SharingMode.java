package io.tickshard.streams.sharing;

import java.util.Locale;

/**
 * How streams use the account's broker sockets ({@code tickshard.upstream.sharing}).
 *
 * <ul>
 *   <li>{@code shared}: the sockets are a pool carrying instruments for any number of keys, each
 *       instrument once in the cluster ({@link UpstreamSocket});
 *   <li>{@code dedicated}: each key holds a socket of its own (five keys at most), the mode that
 *       isolates a key.
 * </ul>
 */
public enum SharingMode {
  SHARED,
  DEDICATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SharingMode parse(String text) {
    for (SharingMode mode : values()) {
      if (mode.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "tickshard.upstream.sharing must be shared or dedicated, not '" + text + "'");
  }
}
