package io.tickshard.streams.registry;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Streams that stay lost. A stream whose entity stopped without a word is kept, its instruments
 * carried, until it reports from wherever it starts again. But a stream that stopped for good can
 * also look lost: its entity ended (a stop, then passivation) and the word of its stop never
 * reached the registry (a proxy that dropped it while the cluster changed). Those would hold their
 * instruments forever. So a stream lost at two checks in a row is a suspect, and the journal
 * decides: started (it is woken, elsewhere) or not (released). A key placed again meanwhile is no
 * longer a suspect. Plain state of the registry actor.
 */
final class LostStreams {
  private final Set<StreamKey> lostBefore = new HashSet<>();
  private final Set<StreamKey> suspects = new HashSet<>();

  /** A check of {@code view}: true when some stream was lost at this check and the one before. */
  boolean check(StreamView<?> view) {
    Set<StreamKey> lostNow = new HashSet<>();
    for (StreamView.Entry<?> entry : view.entries()) {
      if (entry.status().state() == StreamState.LOST) {
        lostNow.add(entry.status().key());
      }
    }
    suspects.clear();
    for (StreamKey key : lostNow) {
      if (lostBefore.contains(key)) {
        suspects.add(key);
      }
    }
    lostBefore.clear();
    lostBefore.addAll(lostNow);
    return !suspects.isEmpty();
  }

  /** The key was placed again (a new incarnation asked): it is coming back. */
  void placed(StreamKey key) {
    suspects.remove(key);
    lostBefore.remove(key);
  }

  /**
   * The journal answered with the entity ids whose last event is "started": the suspects not among
   * them, and still lost in {@code view}, stopped for good; they are no longer suspects.
   */
  List<StreamKey> stoppedForGood(Set<String> startedEntityIds, StreamView<?> view) {
    List<StreamKey> stopped = new ArrayList<>();
    for (StreamKey key : suspects) {
      boolean stillLost =
          view.get(key).map(e -> e.status().state() == StreamState.LOST).orElse(false);
      if (stillLost && !startedEntityIds.contains(key.entityId())) {
        stopped.add(key);
      }
    }
    suspects.removeAll(stopped);
    lostBefore.removeAll(stopped);
    return stopped;
  }
}
