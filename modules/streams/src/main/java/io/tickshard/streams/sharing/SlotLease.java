package io.tickshard.streams.sharing;

import io.tickshard.streams.metrics.NodeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.apache.pekko.coordination.lease.javadsl.LeaseProvider;

/**
 * A socket slot's lease ({@code tickshard.upstream.slot-lease}): taken before the slot's broker
 * socket opens, given back once it is closed. Plain state of one {@link UpstreamSocket}, whose
 * messages carry its answers: {@link UpstreamSocket.LeaseAnswered} for an acquire, {@link
 * UpstreamSocket.LeaseLost} when the lease says it may no longer be held.
 */
final class SlotLease {
  static final String CONFIG = "tickshard.upstream.slot-lease";

  /**
   * The slot's socket, as its lease sees it.
   *
   * @param open a socket is open (or opening) here
   * @param wanted none is open, and one is needed
   * @param closed gives the lease back if no socket of the slot is open or closing here any more
   */
  record Socket(
      BooleanSupplier open,
      BooleanSupplier wanted,
      Runnable openNow,
      Consumer<String> close,
      Runnable closed) {}

  enum Standing {
    FREE,
    ACQUIRING,
    HELD
  }

  private final ActorContext<UpstreamSocket.Command> context;
  private final String label;
  private final String node;
  private final Lease lease;
  private final Duration retryInterval;
  private Standing standing = Standing.FREE;
  private boolean retryPlanned;
  private Instant waitingSince;

  /** Released while an acquire was in flight: its answer, whatever it says, holds nothing. */
  private boolean releasedInFlight;

  SlotLease(
      ActorContext<UpstreamSocket.Command> context, String entityId, String label, String node) {
    this.context = context;
    this.label = label;
    this.node = node;
    UniqueAddress self = Cluster.get(context.getSystem()).selfMember().uniqueAddress();
    String owner = self.address().hostPort() + "#" + self.longUid();
    this.lease =
        LeaseProvider.get(context.getSystem())
            .getLease(context.getSystem().name() + "-" + entityId, CONFIG, owner);
    this.retryInterval =
        context.getSystem().settings().config().getDuration(CONFIG + ".retry-interval");
  }

  boolean held() {
    return standing == Standing.HELD;
  }

  /** Asks for the lease, unless it is held or asked for already. */
  void acquire() {
    if (standing != Standing.FREE) {
      return;
    }
    standing = Standing.ACQUIRING;
    ActorRef<UpstreamSocket.Command> self = context.getSelf();
    context.pipeToSelf(
        lease.acquire(
            reason -> self.tell(new UpstreamSocket.LeaseLost(reason.map(Throwable::getMessage)))),
        (acquired, failure) ->
            new UpstreamSocket.LeaseAnswered(
                Boolean.TRUE.equals(acquired),
                Optional.ofNullable(failure).map(Throwable::getMessage)));
  }

  /** Folds an acquire's answer in; a line when a wait for it begins and when it ends. */
  private void answered(UpstreamSocket.LeaseAnswered answer) {
    if (releasedInFlight) {
      releasedInFlight = false;
      return;
    }
    standing = answer.acquired() ? Standing.HELD : Standing.FREE;
    Instant now = Instant.now();
    if (answer.acquired() && waitingSince != null) {
      context
          .getLog()
          .info(
              "{} on {}: lease acquired after waiting {} ms",
              label,
              node,
              Duration.between(waitingSince, now).toMillis());
      waitingSince = null;
    } else if (!answer.acquired() && waitingSince == null) {
      waitingSince = now;
      NodeMetrics.get(context.getSystem()).slotLeaseWaits.inc();
      context
          .getLog()
          .info(
              "{} on {}: waiting for its lease ({})",
              label,
              node,
              answer.failure().orElse("held by another node until released or expired"));
    }
  }

  /**
   * Whether a socket open under a lease just lost stays open: only when the lease could not be
   * renewed (its database away, not taken) and this node still sees the whole cluster.
   */
  private boolean keepsSocketThrough(UpstreamSocket.LeaseLost lost) {
    if (lost.reason().isEmpty() || !clusterWhole()) {
      return false;
    }
    context
        .getLog()
        .warn(
            "{} on {}: its lease could not be renewed ({}); the cluster is whole, so its socket"
                + " stays open while it asks again",
            label,
            node,
            lost.reason().get());
    return true;
  }

  /** Asks again after the retry interval (once, however many ask for it meanwhile). */
  private void retryLater() {
    if (!retryPlanned) {
      retryPlanned = true;
      context.scheduleOnce(retryInterval, context.getSelf(), new UpstreamSocket.RetryLease());
    }
  }

  /**
   * Gives the lease back, if held or asked for (the release runs after the acquire, so a lease an
   * acquire still in flight gets is not kept); once the socket it covers is closed.
   */
  void release() {
    if (standing != Standing.FREE) {
      releasedInFlight = standing == Standing.ACQUIRING;
      standing = Standing.FREE;
      lease.release();
    }
  }

  /**
   * Whether this node still sees the whole cluster: up itself, nobody unreachable. Then a lease it
   * could not renew (its database away) cannot have passed to another node, for that needs this
   * node to have been downed or to have handed its slots off.
   */
  private boolean clusterWhole() {
    Cluster cluster = Cluster.get(context.getSystem());
    return cluster.selfMember().status() == MemberStatus.up()
        && cluster.state().getUnreachable().isEmpty();
  }

  Behavior<UpstreamSocket.Command> onAnswer(UpstreamSocket.LeaseAnswered answer, Socket socket) {
    boolean wanted = socket.wanted().getAsBoolean();
    answered(answer);
    if (held()) {
      if (wanted) {
        socket.openNow().run();
      } else {
        socket.closed().run();
      }
      return Behaviors.same();
    }
    if (socket.open().getAsBoolean() && (answer.failure().isEmpty() || !clusterWhole())) {
      socket.close().accept("its lease is held elsewhere");
    }
    if (wanted || socket.open().getAsBoolean()) {
      retryLater();
    }
    return Behaviors.same();
  }

  Behavior<UpstreamSocket.Command> onLost(UpstreamSocket.LeaseLost lost, Socket socket) {
    if (!held()) {
      return Behaviors.same();
    }
    standing = Standing.FREE;
    NodeMetrics.get(context.getSystem())
        .slotLeasesLost
        .labelValues(lost.reason().isEmpty() ? "taken" : "not_renewed")
        .inc();
    if (socket.open().getAsBoolean() && !keepsSocketThrough(lost)) {
      socket.close().accept(lost.reason().orElse("its lease was taken"));
    }
    retryLater();
    return Behaviors.same();
  }

  Behavior<UpstreamSocket.Command> onRetry(Socket socket) {
    retryPlanned = false;
    if (socket.wanted().getAsBoolean()) {
      socket.openNow().run();
    } else if (socket.open().getAsBoolean() && standing == Standing.FREE) {
      acquire(); // kept open through a database outage: hold it again
    }
    return Behaviors.same();
  }
}
