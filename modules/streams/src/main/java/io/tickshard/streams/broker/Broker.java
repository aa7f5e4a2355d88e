package io.tickshard.streams.broker;

import com.typesafe.config.Config;
import io.tickshard.streams.NodeName;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's broker credentials: which ones streams connect with now, from three sources (the
 * environment, a watched file, the API through every node), and how the broker last answered them.
 * The newest credentials win, whatever their source; the environment's are the oldest. A change is
 * told on the node's event stream as {@link CredentialsChanged}, so that streams waiting for new
 * credentials connect again.
 */
public final class Broker implements Extension {

  /** Told on this node's event stream when the credentials streams connect with change. */
  public record CredentialsChanged(BrokerCredentials current) {}

  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  private static final ExtensionId<Broker> ID =
      new ExtensionId<>() {
        @Override
        public Broker createExtension(ActorSystem<?> system) {
          return new Broker(system);
        }
      };

  /** This node's credentials; the environment's (and the file's) until the keeper starts. */
  public static Broker get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final BrokerSettings settings;
  private final String node;
  private final BrokerCredentials fromEnvironment;
  private BrokerCredentials fromFile;
  private BrokerCredentials fromApi;
  private volatile BrokerCredentials current;
  private volatile Refused lastRefused;
  private volatile ActorRef<CredentialsKeeper.Command> keeper;

  /**
   * A refusal, with the credentials it refused (to tell whether it is about those in use); null
   * once a socket connected with them after all.
   */
  private record Refused(BrokerStatus.Refusal refusal, BrokerCredentials credentials) {}

  private Broker(ActorSystem<?> system) {
    this.system = system;
    Config config = system.settings().config();
    this.settings = BrokerSettings.fromConfig(config);
    this.node = NodeName.of(system);
    this.fromEnvironment =
        new BrokerCredentials(
            config.getString("tickshard.feed.client-id"),
            config.getString("tickshard.feed.access-token"),
            TokenSource.ENV,
            Instant.now());
    this.current = fromEnvironment;
    // Read once now, so that the first connect already uses the file's token.
    settings
        .tokenFile()
        .flatMap(file -> TokenFile.read(file, fromEnvironment.clientId()))
        .ifPresent(this::offer);
  }

  /** Starts watching the file and the cluster's API credentials; once per node. */
  public synchronized void startKeeping() {
    if (keeper == null) {
      keeper =
          system.systemActorOf(
              CredentialsKeeper.create(this, settings), "broker-credentials", Props.empty());
    }
  }

  /** What streams connect with now. */
  public BrokerCredentials current() {
    return current;
  }

  /**
   * What a socket about to connect should use: the token file read again first (when there is one),
   * so that a connect never uses a token the file replaced since the last check.
   */
  public BrokerCredentials forConnect() {
    settings
        .tokenFile()
        .flatMap(file -> TokenFile.read(file, current.clientId()))
        .ifPresent(this::offerFile);
    return current;
  }

  public BrokerSettings settings() {
    return settings;
  }

  /** How this node stands: its credentials' source and expiry, and the broker's last refusal. */
  public BrokerStatus status() {
    Refused refused = lastRefused;
    BrokerCredentials now = current;
    return BrokerStatus.of(
        now,
        refused == null ? null : refused.refusal(),
        refused != null && now.sameAs(refused.credentials()),
        Instant.now(),
        settings.expiryWarning());
  }

  /** The broker refused {@code used}; streams wait for new credentials. */
  public void refused(BrokerCredentials used, int code, String reason) {
    lastRefused =
        new Refused(new BrokerStatus.Refusal(code, reason, Instant.now(), node, true), used);
  }

  /**
   * A socket connected with {@code used}: the broker takes them, so a refusal of the same ones (a
   * one-off, or a broker hiccup) is history now, not the state.
   */
  public void accepted(BrokerCredentials used) {
    Refused refused = lastRefused;
    if (refused != null && used.sameAs(refused.credentials())) {
      lastRefused = new Refused(refused.refusal(), null);
    }
  }

  /**
   * Gives every node new credentials; the client id stays the one in use when none is given.
   * Completes once every node has them, or with {@code reachedEveryNode} false after the
   * replication timeout (they still spread, as the nodes gossip).
   */
  public CompletionStage<CredentialsKeeper.Replicated> put(
      Optional<String> clientId, String token) {
    ActorRef<CredentialsKeeper.Command> to = keeper;
    if (to == null) {
      throw new IllegalStateException("the credentials keeper has not started on " + node);
    }
    return AskPattern.ask(
        to,
        replyTo -> new CredentialsKeeper.Put(clientId.orElse(current.clientId()), token, replyTo),
        settings.replicateTimeout().plusSeconds(2),
        system.scheduler());
  }

  /** The token file as just read: offered when its token is not the one read before. */
  synchronized void offerFile(BrokerCredentials read) {
    if (fromFile == null || !read.accessToken().equals(fromFile.accessToken())) {
      offer(read);
    }
  }

  /** New credentials from the file or the API: in use from now on if they are the newest. */
  synchronized void offer(BrokerCredentials candidate) {
    if (candidate.source() == TokenSource.FILE) {
      fromFile = candidate;
    } else if (candidate.source() == TokenSource.API) {
      fromApi = candidate;
    }
    BrokerCredentials newest = fromEnvironment;
    for (BrokerCredentials other : new BrokerCredentials[] {fromFile, fromApi}) {
      if (other != null
          && (newest.source() == TokenSource.ENV || other.since().isAfter(newest.since()))) {
        newest = other;
      }
    }
    BrokerCredentials before = current;
    current = newest;
    if (!newest.sameAs(before)) {
      LOG.info(
          "broker credentials on {}: now from {} (client {}, token {})",
          node,
          newest.source().wireName(),
          newest.maskedClientId(),
          newest.expiresAt().map(at -> "expires " + at).orElse("expiry not stated"));
      system.eventStream().tell(new EventStream.Publish<>(new CredentialsChanged(newest)));
    }
  }
}
