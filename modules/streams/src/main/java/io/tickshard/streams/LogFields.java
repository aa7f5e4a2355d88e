package io.tickshard.streams;

import org.slf4j.MDC;

/**
 * The fields a log line about a stream carries (as JSON fields in {@code
 * TICKSHARD_LOG_FORMAT=json}): {@code stream}, its entity id (the key itself, or {@code sha256:…}
 * for a long one), and {@code node}. Set around a line rather than per message: an entity's lines
 * after a journal write, and the registry's and sockets' lines about a key, are written outside any
 * message of that key.
 */
public final class LogFields {
  private LogFields() {}

  /** The fields set, until closed (the ones before are put back). */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Until closed, this thread's lines carry {@code key} and {@code node}. */
  public static Scope about(StreamKey key, String node) {
    return about(key.entityId(), node);
  }

  /** As {@link #about(StreamKey, String)}, for an entity id. */
  public static Scope about(String entityId, String node) {
    String streamBefore = MDC.get("stream");
    String nodeBefore = MDC.get("node");
    MDC.put("stream", entityId);
    MDC.put("node", node);
    return () -> {
      restore("stream", streamBefore);
      restore("node", nodeBefore);
    };
  }

  /** Runs {@code line} with the fields of {@code key} on {@code node}. */
  public static void log(StreamKey key, String node, Runnable line) {
    log(key.entityId(), node, line);
  }

  public static void log(String entityId, String node, Runnable line) {
    try (Scope fields = about(entityId, node)) {
      line.run();
    }
  }

  private static void restore(String field, String before) {
    if (before == null) {
      MDC.remove(field);
    } else {
      MDC.put(field, before);
    }
  }
}
