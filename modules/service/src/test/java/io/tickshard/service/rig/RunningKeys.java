package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for keys to say they run, in the listing asked of whichever node answers it, and notes
 * those that say so late: a key whose instruments a connected socket carries should say it runs
 * within {@link #BOUND}.
 */
public final class RunningKeys {
  public static final Duration BOUND = Duration.ofSeconds(10);

  /**
   * @param firstListing the states in the first listing after the socket carried them all
   * @param allRunningMs from the start of the calls until every key ran
   * @param late those not running {@link #BOUND} after the socket carried them, empty if none
   */
  public record Running(Map<String, Long> firstListing, long allRunningMs, List<String> late) {}

  private RunningKeys() {}

  /**
   * Starts each of {@code keys} once (over the nodes in turn, 50 calls in flight), and waits until
   * one broker connection carries what they need and every key says it runs.
   */
  public static Running startOnOneSocket(Cluster cluster, List<ScreenerKey> keys, String label)
      throws Exception {
    List<HttpRequest> starts = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      NodeProcess node = cluster.node(k % cluster.nodes().size());
      starts.add(StreamsApi.startRequest(node, keys.get(k).startBody()));
    }
    long began = System.nanoTime();
    Storm.assertAnswered(Storm.send(starts, 50), 201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> cluster.broker().assertOneConnectionCarrying(Subscriptions.needed(keys)));
    Set<String> names = keys.stream().map(ScreenerKey::key).collect(Collectors.toSet());
    return await(cluster, names, began, System.nanoTime(), label);
  }

  /**
   * Awaits every one of {@code names} running, from {@code subscribed} (nanos), when the broker
   * showed their instruments carried; times are from {@code began} (nanos). The first listing is
   * kept as {@code <label>-listing-first.json} in the cluster's directory.
   */
  public static Running await(
      Cluster cluster, Set<String> names, long began, long subscribed, String label)
      throws Exception {
    List<NodeProcess> askOrder = new CopyOnWriteArrayList<>(cluster.alive());
    Map<String, String> answers = new TreeMap<>();
    Map<String, Long> first = new TreeMap<>();
    List<String> late = new ArrayList<>();
    List<String> notRunning = new CopyOnWriteArrayList<>();
    boolean[] bounded = {false};
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                JsonNode listing = null;
                for (NodeProcess node : askOrder) {
                  HttpResponse<String> answer = StreamsApi.listing(node);
                  answers.put(node.node(), String.valueOf(answer.statusCode()));
                  if (answer.statusCode() == 200) {
                    listing = StreamsApi.JSON.readTree(answer.body());
                    // The node that answered is asked first: a 503 costs the ask timeout.
                    askOrder.remove(node);
                    askOrder.add(0, node);
                    if (first.isEmpty()) {
                      Files.writeString(
                          cluster.logs().resolve(label + "-listing-first.json"), answer.body());
                    }
                    break;
                  }
                }
                assertThat(listing).as("a node answered the listing: %s", answers).isNotNull();
                Map<String, JsonNode> streams = new HashMap<>();
                listing.get("streams").forEach(st -> streams.put(st.get("key").asText(), st));
                List<String> now = notRunning(names, streams);
                if (first.isEmpty()) {
                  names.forEach(k -> first.merge(state(streams.get(k)), 1L, Long::sum));
                  first.put("at ms", (System.nanoTime() - began) / 1_000_000);
                }
                if (!bounded[0] && System.nanoTime() - subscribed >= BOUND.toNanos()) {
                  bounded[0] = true;
                  if (!now.isEmpty()) {
                    late.add(
                        now.size()
                            + " keys not running "
                            + BOUND.toSeconds()
                            + " s after the broker showed every instrument carried, e.g. "
                            + now.subList(0, Math.min(5, now.size())));
                  }
                }
                notRunning.clear();
                notRunning.addAll(now);
                assertThat(now).as("keys not running in the listing (%d)", now.size()).isEmpty();
              });
    } catch (ConditionTimeoutException stuck) {
      throw new AssertionError(
          stuck.getMessage() + "\nlive status of those keys:" + live(cluster, notRunning), stuck);
    }
    if (!late.isEmpty()) {
      late.set(
          0,
          late.get(0)
              + "; all running only "
              + (System.nanoTime() - subscribed) / 1_000_000
              + " ms after that");
    }
    return new Running(first, (System.nanoTime() - began) / 1_000_000, late);
  }

  private static String state(JsonNode stream) {
    return stream == null ? "not listed" : stream.path("status").asText();
  }

  private static List<String> notRunning(Set<String> names, Map<String, JsonNode> streams) {
    return names.stream()
        .filter(k -> !"running".equals(state(streams.get(k))))
        .sorted()
        .map(
            k ->
                streams.get(k) == null
                    ? k + " not listed"
                    : k
                        + " "
                        + state(streams.get(k))
                        + " on "
                        + streams.get(k).path("node").asText()
                        + " (started "
                        + streams.get(k).path("startedAt").asText()
                        + ")")
        .toList();
  }

  /** The evidence: each such key's own answer (live, not the registry's last report). */
  private static String live(Cluster cluster, List<String> notRunning) throws Exception {
    StringBuilder live = new StringBuilder();
    for (String line : notRunning.subList(0, Math.min(5, notRunning.size()))) {
      String key = line.substring(0, line.indexOf(' '));
      for (NodeProcess node : cluster.alive()) {
        HttpResponse<String> answer = StreamsApi.get(node.api() + StreamsApi.path(key));
        live.append("\n  GET on ")
            .append(node.node())
            .append(": ")
            .append(answer.statusCode())
            .append(' ')
            .append(answer.body());
      }
    }
    return live.toString();
  }
}
