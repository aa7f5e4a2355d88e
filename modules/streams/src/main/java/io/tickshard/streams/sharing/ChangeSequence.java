package io.tickshard.streams.sharing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A socket slot's place in the registry's numbered changes: which registry it follows, the last
 * change applied, and changes held while it asks for the whole table. Changes arrive in order, so a
 * gap (or another registry's change) means one was lost: the slot asks for the table again. Plain
 * state of one {@link UpstreamSocket}; not thread-safe.
 */
final class ChangeSequence {

  /** What to do with a change. */
  enum Step {
    /** The next one: apply it. */
    APPLY,
    /** In the table already. */
    SKIP,
    /** Held until the table (asked for already) arrives. */
    HOLD,
    /** Held, and the table must be asked for: one is missing, or another registry decides. */
    RESYNC
  }

  private String registryId;
  private long seq;
  private boolean syncing;
  private final List<UpstreamSocket.Change> held = new ArrayList<>();

  /** The registry followed (null before the first table) and the last change applied. */
  String registryId() {
    return registryId;
  }

  long seq() {
    return seq;
  }

  /** A table was asked for, and nothing is applied until it arrives. */
  boolean syncing() {
    return syncing;
  }

  /** Asking for the table now. */
  void resync() {
    syncing = true;
  }

  /** Nothing known yet: a new registry asking what is carried gets no inventory. */
  boolean neverSynced() {
    return syncing && registryId == null;
  }

  Step step(UpstreamSocket.Change change) {
    if (syncing) {
      held.add(change); // applied after the table, if newer than it
      return Step.HOLD;
    }
    if (change.registryId().equals(registryId) && change.seq() <= seq) {
      return Step.SKIP;
    }
    if (!change.registryId().equals(registryId) || change.seq() != seq + 1) {
      held.add(change);
      return Step.RESYNC;
    }
    seq = change.seq();
    return Step.APPLY;
  }

  /**
   * A table arrived: false when it is older than what is applied (an ask that timed out, answered
   * late), and nothing changes.
   */
  boolean take(SocketWire.Table table) {
    if (!syncing && table.registryId().equals(registryId) && table.seq() <= seq) {
      return false;
    }
    syncing = false;
    registryId = table.registryId();
    seq = table.seq();
    return true;
  }

  /** The held changes newer than the table taken, in order; none are held afterwards. */
  List<UpstreamSocket.Change> heldAfterTable() {
    List<UpstreamSocket.Change> later =
        held.stream()
            .filter(c -> c.registryId().equals(registryId) && c.seq() > seq)
            .sorted(Comparator.comparingLong(UpstreamSocket.Change::seq))
            .toList();
    held.clear();
    return later;
  }
}
