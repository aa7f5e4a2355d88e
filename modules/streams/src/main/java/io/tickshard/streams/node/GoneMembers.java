package io.tickshard.streams.node;

import com.typesafe.config.Config;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.metrics.NodeMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.remote.RemoteActorRefProvider;
import scala.Option;

/**
 * Downs a member whose process is gone, without waiting for the failure detector and the Split
 * Brain Resolver. A process that crashed or was killed leaves no listener on its cluster port, so
 * its host refuses a connection there at once; a paused process, a busy one or one behind a broken
 * network does not refuse (its listener is still there, or no answer comes at all), and is left to
 * them. Refused several probes in a row, the member is downed and its incarnation quarantined,
 * which the cluster takes, as it does for a node restarted on the same port, as proof that it is
 * terminated: the leader removes it at its next round instead of after the failure detector.
 *
 * <p>Only a node that, without the refusing members, still sees a majority of the members does it,
 * so that a firewall refusing connections between two halves of a cluster cannot make the smaller
 * half down the larger. The larger half downing the smaller one early is safe for the broker's
 * sockets: a slot opens elsewhere only after its lease is free (SlotLease), and the smaller half
 * downs itself when its resolver decides.
 */
public final class GoneMembers {
  private GoneMembers() {}

  sealed interface Command {}

  private record Probe() implements Command {}

  private record Answered(UniqueAddress member, boolean refused) implements Command {}

  /** Starts probing on this node, if {@code tickshard.cluster.gone-members.enabled}. */
  public static void start(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("tickshard.cluster.gone-members");
    if (!config.getBoolean("enabled")) {
      return;
    }
    system.systemActorOf(
        create(
            config.getDuration("probe-interval"),
            config.getDuration("probe-timeout"),
            config.getInt("refusals")),
        "gone-members",
        Props.empty());
  }

  /**
   * Whether the members left when {@code gone} of {@code members} are taken away are more than half
   * of them: only then may this node down the gone ones itself.
   */
  static boolean largerSide(long members, long gone) {
    return 2 * (members - gone) > members;
  }

  /** Whether the host refuses a connection to the port: nothing listens there. */
  static boolean refuses(Address address, Duration timeout) {
    if (address.host().isEmpty() || address.port().isEmpty()) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.host().get(), (Integer) address.port().get()),
          (int) timeout.toMillis());
      return false;
    } catch (ConnectException refused) {
      // Refused, not "no route" or "unreachable" (a partition); a timeout is not one either (a
      // pause, a lost packet).
      return refused.getMessage() != null && refused.getMessage().contains("refused");
    } catch (IOException noAnswer) {
      return false;
    }
  }

  static Behavior<Command> create(Duration interval, Duration timeout, int refusals) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(new Probe(), interval);
                  return new Prober(context, timeout, refusals).behavior();
                }));
  }

  private static final class Prober {
    private final ActorContext<Command> context;
    private final Cluster cluster;
    private final Duration timeout;
    private final int refusals;
    private final Executor blocking;
    private final String node;

    /** Refusals in a row, per member; a member that answered or left is not in it. */
    private final Map<UniqueAddress, Integer> refusedInARow = new HashMap<>();

    private final Set<UniqueAddress> downed = new HashSet<>();
    private int inFlight;

    Prober(ActorContext<Command> context, Duration timeout, int refusals) {
      this.context = context;
      context.setLoggerName(GoneMembers.class);
      this.cluster = Cluster.get(context.getSystem());
      this.timeout = timeout;
      this.refusals = refusals;
      this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      this.node = NodeName.of(context.getSystem());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Probe.class, probe -> probe())
          .onMessage(Answered.class, this::onAnswer)
          .build();
    }

    private Behavior<Command> probe() {
      if (inFlight > 0 || cluster.selfMember().status() != MemberStatus.up()) {
        return Behaviors.same();
      }
      List<Member> others = probed();
      Set<UniqueAddress> present = members().map(Member::uniqueAddress).collect(Collectors.toSet());
      refusedInARow.keySet().retainAll(present);
      downed.retainAll(present);
      for (Member member : others) {
        inFlight++;
        Address address = member.address();
        CompletableFuture.supplyAsync(() -> refuses(address, timeout), blocking)
            .thenAccept(
                refused -> context.getSelf().tell(new Answered(member.uniqueAddress(), refused)));
      }
      return Behaviors.same();
    }

    private Stream<Member> members() {
      return StreamSupport.stream(cluster.state().getMembers().spliterator(), false);
    }

    /** The members probed: up (or joining, weakly up), not this node, not downed already. */
    private List<Member> probed() {
      UniqueAddress self = cluster.selfMember().uniqueAddress();
      return members()
          .filter(m -> !m.uniqueAddress().equals(self))
          .filter(
              m ->
                  m.status() == MemberStatus.up()
                      || m.status() == MemberStatus.weaklyUp()
                      || m.status() == MemberStatus.joining())
          .filter(m -> !downed.contains(m.uniqueAddress()))
          .toList();
    }

    private Behavior<Command> onAnswer(Answered answer) {
      inFlight--;
      if (!answer.refused()) {
        refusedInARow.remove(answer.member());
        return Behaviors.same();
      }
      int times = refusedInARow.merge(answer.member(), 1, Integer::sum);
      if (times >= refusals && inFlight == 0) {
        downGone();
      }
      return Behaviors.same();
    }

    private void downGone() {
      Set<UniqueAddress> gone =
          refusedInARow.entrySet().stream()
              .filter(e -> e.getValue() >= refusals)
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      long members =
          members()
              .filter(
                  m -> m.status() != MemberStatus.down() && m.status() != MemberStatus.exiting())
              .count();
      if (gone.isEmpty() || !largerSide(members, gone.size())) {
        return; // the resolver decides
      }
      for (UniqueAddress member : gone) {
        context
            .getLog()
            .warn(
                "cluster on {}: member {} refuses connections on its cluster port {} times in a"
                    + " row (its process is gone): downing it",
                node,
                member.address(),
                refusals);
        cluster.manager().tell(new Down(member.address()));
        NodeMetrics.get(context.getSystem()).goneMembersDowned.inc();
        quarantine(member);
        downed.add(member);
        refusedInARow.remove(member);
      }
    }

    /**
     * What the cluster takes as proof that the incarnation is gone (see the class comment).
     * RemoteActorRefProvider is Pekko's internal API (public in the bytecode): there is no public
     * way to tell the cluster a member is terminated, so a Pekko upgrade must keep this working
     * (SharedOwnerCrashIT's failover time shows it).
     */
    private void quarantine(UniqueAddress member) {
      ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(context.getSystem());
      if (classic.provider() instanceof RemoteActorRefProvider remote) {
        remote.quarantine(member.address(), Option.apply(member.longUid()), "its process is gone");
      }
    }
  }
}
