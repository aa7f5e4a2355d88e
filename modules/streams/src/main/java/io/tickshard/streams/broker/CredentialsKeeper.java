package io.tickshard.streams.broker;

import io.tickshard.streams.NodeName;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.LWWRegisterKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * Keeps a node's {@link Broker} up to date: re-reads the token file every check interval, and holds
 * the credentials given through the API as one Distributed Data register that every node replicates
 * in memory (not durable: a restart of the whole cluster forgets them, and the nodes go back to the
 * file, else the environment).
 */
public final class CredentialsKeeper {

  /** The register's key; its value never leaves the cluster's memory. */
  static final Key<LWWRegister<SharedCredentials>> KEY =
      LWWRegisterKey.create("tickshard-broker-credentials");

  public sealed interface Command {}

  /** New credentials for every node, from the API. */
  public record Put(String clientId, String accessToken, ActorRef<Replicated> replyTo)
      implements Command {
    @Override
    public String toString() {
      return "Put[clientId=" + BrokerCredentials.mask(clientId) + "]";
    }
  }

  /**
   * The answer to {@link Put}: applied on this node either way.
   *
   * @param reachedEveryNode every node had them before the replication timeout
   */
  public record Replicated(BrokerCredentials credentials, boolean reachedEveryNode) {}

  private record CheckFile() implements Command {}

  private record SharedChanged(Replicator.SubscribeResponse<LWWRegister<SharedCredentials>> change)
      implements Command {}

  private record Written(
      Replicator.UpdateResponse<LWWRegister<SharedCredentials>> response,
      BrokerCredentials credentials,
      ActorRef<Replicated> replyTo)
      implements Command {}

  private CredentialsKeeper() {}

  static Behavior<Command> create(Broker broker, BrokerSettings settings) {
    return Behaviors.setup(
        context ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWRegister<SharedCredentials>> replicator) ->
                    Behaviors.withTimers(
                        timers -> {
                          replicator.subscribe(KEY, SharedChanged::new);
                          if (settings.tokenFile().isPresent()) {
                            timers.startTimerWithFixedDelay(
                                new CheckFile(), settings.tokenFileCheckInterval());
                          }
                          return new Keeping(context, replicator, broker, settings).behavior();
                        })));
  }

  /** The keeper's one state. */
  private static final class Keeping {
    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, LWWRegister<SharedCredentials>> replicator;
    private final Broker broker;
    private final BrokerSettings settings;
    private final SelfUniqueAddress self;
    private final String node;
    private boolean fileUnreadableLogged;

    Keeping(
        ActorContext<Command> context,
        ReplicatorMessageAdapter<Command, LWWRegister<SharedCredentials>> replicator,
        Broker broker,
        BrokerSettings settings) {
      this.context = context;
      this.replicator = replicator;
      this.broker = broker;
      this.settings = settings;
      this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
      this.node = NodeName.of(context.getSystem());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(CheckFile.class, check -> onCheckFile())
          .onMessage(SharedChanged.class, this::onSharedChanged)
          .onMessage(Put.class, this::onPut)
          .onMessage(Written.class, this::onWritten)
          .build();
    }

    private Behavior<Command> onCheckFile() {
      Path file = settings.tokenFile().orElseThrow();
      var read = TokenFile.read(file, broker.current().clientId());
      if (read.isEmpty()) {
        if (!fileUnreadableLogged) {
          fileUnreadableLogged = true;
          context
              .getLog()
              .warn(
                  "broker token file {} on {} cannot be read or is empty; keeping the credentials"
                      + " in use",
                  file,
                  node);
        }
        return Behaviors.same();
      }
      fileUnreadableLogged = false;
      broker.offerFile(read.get());
      return Behaviors.same();
    }

    private Behavior<Command> onSharedChanged(SharedChanged changed) {
      if (changed.change() instanceof Replicator.Changed<LWWRegister<SharedCredentials>> value) {
        broker.offer(value.get(KEY).getValue().credentials());
      }
      return Behaviors.same();
    }

    private Behavior<Command> onPut(Put put) {
      SharedCredentials shared =
          new SharedCredentials(put.clientId(), put.accessToken(), Instant.now(), node);
      BrokerCredentials credentials = shared.credentials();
      // In use here at once; the other nodes get it from the write (all of them, or by gossip).
      broker.offer(credentials);
      replicator.askUpdate(
          replyTo ->
              new Replicator.Update<>(
                  KEY,
                  LWWRegister.create(self, shared),
                  new Replicator.WriteAll(settings.replicateTimeout()),
                  replyTo,
                  register -> register.withValue(self, shared)),
          response -> new Written(response, credentials, put.replyTo()));
      return Behaviors.same();
    }

    private Behavior<Command> onWritten(Written written) {
      boolean everyNode = written.response() instanceof Replicator.UpdateSuccess;
      if (!everyNode) {
        context
            .getLog()
            .warn(
                "broker credentials from the API on {}: not every node confirmed them within {}"
                    + " ({}); they spread as the nodes gossip",
                node,
                settings.replicateTimeout(),
                written.response().getClass().getSimpleName());
      }
      written.replyTo().tell(new Replicated(written.credentials(), everyNode));
      return Behaviors.same();
    }
  }
}
