package io.tickshard.bench.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A stream key as screener pages start it: a screener type, its sorted distinct NSE_EQ ids, and a
 * mode ({@code ticker}, {@code quote} or {@code full}). The service's storm proofs shape their keys
 * the same way (their own ScreenerKey; the tool cannot use test code).
 */
public record ScreenerKey(String screener, List<Integer> ids, String mode) {
  public static final List<String> MODES = List.of("ticker", "quote", "full");
  private static final ObjectMapper JSON = new ObjectMapper();

  public ScreenerKey {
    ids = List.copyOf(new TreeSet<>(ids));
  }

  /** The key as the API names it in its answers (docs/api.md). */
  public String key() {
    return "type:"
        + screener
        + "|ids:"
        + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /**
   * The start call's body as a page might send it: ids shuffled and one repeated, which the API
   * must make the same key of.
   */
  public String startBody(Random random) {
    List<Integer> sent = new ArrayList<>(ids);
    sent.add(sent.get(random.nextInt(sent.size())));
    Collections.shuffle(sent, random);
    ObjectNode body = JSON.createObjectNode().put("screenerType", screener).put("mode", mode);
    sent.forEach(body.putArray("instruments")::add);
    return body.toString();
  }

  /**
   * {@code count} keys named {@code screenerPrefix + k}, each of 15-25 ids drawn from the {@code
   * pool} ids from {@code firstId} and in a mode of its own: keys that overlap, as screeners' do.
   * The same {@code shapes} seed draws the same ids and modes, whatever the names.
   */
  public static List<ScreenerKey> overlapping(
      String screenerPrefix, int count, int firstId, int pool, long shapes) {
    Random random = new Random(shapes);
    List<ScreenerKey> keys = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int size = Math.min(pool, 15 + random.nextInt(11));
      TreeSet<Integer> ids = new TreeSet<>();
      while (ids.size() < size) {
        ids.add(firstId + random.nextInt(pool));
      }
      keys.add(new ScreenerKey(screenerPrefix + k, List.copyOf(ids), MODES.get(random.nextInt(3))));
    }
    return keys;
  }
}
