package io.tickshard.streams.registry;

import java.util.Locale;

/**
 * How keys use the account's broker sockets ({@code tickshard.upstream.sharing}).
 *
 * <ul>
 *   <li>{@code shared} (the default): the sockets are a pool carrying instruments for any number of
 *       keys, each instrument once in the cluster ({@link SharedPlacement});
 *   <li>{@code dedicated}: each key holds a socket of its own, five keys at most, the policy that
 *       isolates a key ({@link DedicatedPlacement}).
 * </ul>
 *
 * <p>Either way the same socket owners carry the ticks; only the placement differs.
 */
public enum PlacementPolicy {
  SHARED,
  DEDICATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PlacementPolicy parse(String text) {
    for (PlacementPolicy policy : values()) {
      if (policy.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "tickshard.upstream.sharing must be shared or dedicated, not '" + text + "'");
  }
}
