package io.tickshard.api;

import io.tickshard.streams.ticks.TickViewer;
import io.tickshard.streams.ticks.ViewerEvent;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.stream.stage.AsyncCallback;

/**
 * One SSE viewer as its key's viewers on this node see it: the events waiting for it ({@link
 * PendingEvents}), handed over from the key's thread to its response's ({@link LiveEvents}). The
 * key's thread only adds, and wakes the response when something waits where nothing did; the
 * response drains what waits each time its connection takes more. So a viewer that keeps up costs
 * one wake-up per batch, and one that does not is woken no more often than it reads.
 *
 * <p>It is attached before the response exists (so no tick falls between it and the snapshot); a
 * response that is never sent never binds it, and {@link #abandonIfUnbound} then closes it. Closed
 * however it ends, it runs {@code onClose} once: detached, its seat given back.
 */
final class ViewerFeed implements TickViewer {
  private enum Binding {
    WAITING,
    BOUND,
    CLOSED
  }

  private final PendingEvents pending;
  private final Consumer<ViewerFeed> onClose;
  private final Runnable fellBehind;
  private Binding binding = Binding.WAITING;
  private AsyncCallback<Done> wake;

  /**
   * @param inOrder ticks kept as they came before conflating (see {@link PendingEvents})
   * @param onClose detaches it and gives back its seat; run once
   * @param fellBehind told each time what waits for it starts being conflated
   */
  ViewerFeed(int inOrder, Consumer<ViewerFeed> onClose, Runnable fellBehind) {
    this.pending = new PendingEvents(inOrder);
    this.onClose = onClose;
    this.fellBehind = fellBehind;
  }

  @Override
  public void tell(ViewerEvent event) {
    AsyncCallback<Done> toWake = null;
    boolean behind;
    synchronized (this) {
      if (binding == Binding.CLOSED) {
        return;
      }
      boolean wasBehind = pending.conflated();
      if (pending.add(event)) {
        toWake = wake;
      }
      behind = !wasBehind && pending.conflated();
    }
    if (behind) {
      fellBehind.run();
    }
    if (toWake != null) {
      toWake.invoke(Done.getInstance());
    }
  }

  /** The response starts: {@code wake} is called when something waits. False: it was closed. */
  synchronized boolean bind(AsyncCallback<Done> wake) {
    if (binding != Binding.WAITING) {
      return false;
    }
    binding = Binding.BOUND;
    this.wake = wake;
    return true;
  }

  /** What waits, in order; empty when nothing does. */
  synchronized List<ViewerEvent> drain() {
    return pending.drain();
  }

  /** The response was never sent (nothing bound it in time): it is closed. */
  void abandonIfUnbound() {
    synchronized (this) {
      if (binding != Binding.WAITING) {
        return;
      }
    }
    close();
  }

  /** Idempotent. */
  void close() {
    synchronized (this) {
      if (binding == Binding.CLOSED) {
        return;
      }
      binding = Binding.CLOSED;
      wake = null;
    }
    onClose.accept(this);
  }
}
