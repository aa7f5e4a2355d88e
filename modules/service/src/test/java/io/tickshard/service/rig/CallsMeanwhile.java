package io.tickshard.service.rig;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Control calls as clients keep making them while the cluster changes under them (a roll, a node
 * joining or leaving): status and start of running keys, and a stop and start of one key of its
 * own, to the nodes that are up and not being stopped, one after another on a thread of its own. It
 * keeps every answer's status by call, and each 5xx whole.
 */
public final class CallsMeanwhile implements AutoCloseable {
  private final Cluster cluster;
  private final List<ScreenerKey> running;
  private final ScreenerKey churned;
  private final Set<NodeProcess> leaving = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<String> serverErrors = new CopyOnWriteArrayList<>();
  private final List<String> unanswered = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread caller;

  public CallsMeanwhile(Cluster cluster, List<ScreenerKey> running, ScreenerKey churned) {
    this.cluster = cluster;
    this.running = running;
    this.churned = churned;
    this.caller = new Thread(this::call, "calls-meanwhile");
    caller.setDaemon(true);
    caller.start();
  }

  /** From now on no call goes to {@code node} (it is about to be stopped). */
  public void leaving(NodeProcess node) {
    leaving.add(node);
  }

  private void call() {
    Random random = new Random(7);
    boolean churnedRuns = false;
    while (!stopped.get()) {
      List<NodeProcess> up = cluster.ready().stream().filter(n -> !leaving.contains(n)).toList();
      if (up.isEmpty()) {
        pause();
        continue;
      }
      NodeProcess node = up.get(random.nextInt(up.size()));
      ScreenerKey key = running.get(random.nextInt(running.size()));
      try {
        note("status", node, StreamsApi.get(node.api() + StreamsApi.path(key.key())));
        note("start of a running key", node, StreamsApi.start(node, key.startBody()));
        HttpResponse<String> churn =
            churnedRuns
                ? StreamsApi.stop(node, churned.key())
                : StreamsApi.start(node, churned.startBody());
        note(churnedRuns ? "stop" : "start", node, churn);
        churnedRuns = !churnedRuns;
      } catch (Exception noAnswer) {
        // Not a server error: a client retries it. Kept, to be read.
        count("no answer");
        unanswered.add(node.node() + ": " + noAnswer);
      }
      pause();
    }
  }

  private void note(String call, NodeProcess node, HttpResponse<String> answer) {
    count(call + " " + answer.statusCode());
    if (answer.statusCode() >= 500) {
      serverErrors.add(
          call + " on " + node.node() + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  private synchronized void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Answers by call and status, so far. */
  public synchronized Map<String, Integer> counts() {
    return new TreeMap<>(counts);
  }

  public List<String> serverErrors() {
    return List.copyOf(serverErrors);
  }

  /** Calls that got no answer (the node, the exception), in order. */
  public List<String> unanswered() {
    return List.copyOf(unanswered);
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(true);
    caller.join(30_000);
  }
}
