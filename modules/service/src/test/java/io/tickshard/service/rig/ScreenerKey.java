package io.tickshard.service.rig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A stream key as the proofs start it: a screener type, its sorted distinct NSE_EQ ids, and a mode
 * ({@code ticker}, {@code quote} or {@code full}).
 */
public record ScreenerKey(String screener, List<Integer> ids, String mode) {
  public static final List<String> MODES = List.of("ticker", "quote", "full");

  public ScreenerKey {
    ids = List.copyOf(new TreeSet<>(ids));
  }

  /** The key as the API names it (docs/api.md). */
  public String key() {
    return "type:"
        + screener
        + "|ids:"
        + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Its instruments as the simulator names them ({@code NSE_EQ:1333}). */
  public Set<String> instruments() {
    return ids.stream().map(id -> "NSE_EQ:" + id).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The start call's body, its ids as given (sorted). */
  public String startBody() {
    return body(ids);
  }

  /** The start call's body as a caller might send it: ids shuffled, one repeated. */
  public String startBody(Random random) {
    List<Integer> sent = new ArrayList<>(ids);
    sent.add(sent.get(random.nextInt(sent.size())));
    Collections.shuffle(sent, random);
    return body(sent);
  }

  private String body(List<Integer> sent) {
    return "{\"screenerType\":\""
        + screener
        + "\",\"instruments\":"
        + sent
        + ",\"mode\":\""
        + mode
        + "\"}";
  }

  /** The rank of a mode: ticker below quote below full. */
  public static int rank(String mode) {
    return MODES.indexOf(mode);
  }

  /**
   * {@code count} keys of 10-40 ids drawn from {@code pool} ids after {@code base}, each in a mode
   * of its own: keys that overlap, as screeners' do.
   */
  public static List<ScreenerKey> overlapping(
      String screener, int count, int base, int pool, Random random) {
    List<ScreenerKey> keys = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int size = 10 + random.nextInt(31);
      TreeSet<Integer> ids = new TreeSet<>();
      while (ids.size() < size) {
        ids.add(base + 1 + random.nextInt(pool));
      }
      keys.add(new ScreenerKey(screener + k, List.copyOf(ids), MODES.get(random.nextInt(3))));
    }
    return keys;
  }

  @Override
  public String toString() {
    return key() + " (" + mode + ")";
  }
}
