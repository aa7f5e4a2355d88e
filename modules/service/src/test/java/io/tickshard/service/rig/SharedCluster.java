package io.tickshard.service.rig;

import io.tickshard.redis.testkit.RedisServer;
import io.tickshard.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One three-node cluster on the default configuration for every test class that extends with this
 * in a test JVM: started by the first such class, stopped when the JVM's test run ends. Each class
 * gets it as it would a fresh one: every node up and ready (a node a scenario killed is replaced),
 * no stream running, no socket open at the broker, and the broker's timeline marked. A {@link
 * Cluster} parameter of a {@code @BeforeAll} or test method receives it.
 *
 * <p>Its nodes write every tick to one real redis-server (the old app's Redis outputs, {@code
 * TICKSHARD_REDIS_URL}, with a password), as a deployment that enables them would: the other proofs
 * then also show that the outputs do not disturb the feed. A {@link RedisServer} parameter receives
 * that server; when the machine has no redis-server the cluster runs without Redis.
 */
public final class SharedCluster implements BeforeAllCallback, ParameterResolver {
  /** How long an instrument no key needs stays subscribed: short, to see it go within a test. */
  public static final Duration GRACE = Duration.ofSeconds(2);

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedCluster.class);

  static final Cluster.Spec SPEC =
      Cluster.Spec.of("shared-cluster", 3)
          // The broker's own limits (100 per request, 5,000 per socket, 5 sockets): it evicts
          // (805) beyond them. One tick per instrument per second keeps 5,000 instruments within
          // 2 cores.
          // Stamped: each instrument's quotes are numbered, so a viewer can tell a lost tick.
          .withSimulator(SimulatorConfig.defaults().withMarket(1, 23).withStampedTicks(true))
          .withEnvironment("TICKSHARD_UPSTREAM_UNSUBSCRIBE_GRACE", GRACE.toSeconds() + "s")
          .withProperty("tickshard.health.schedule", "off")
          // Answer times are measured and reported, not asserted: a starved CI box should answer
          // late rather than 503.
          .withProperty("tickshard.api.ask-timeout", "15s");

  /** The shared Redis's password: the proofs check that no node logs it. */
  public static final String REDIS_PASSWORD = "shared-cluster-redis-secret";

  private record Held(Cluster cluster, RedisServer redis)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      try {
        cluster.close();
      } finally {
        if (redis != null) {
          redis.close();
        }
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Held held = held(context);
    Cluster cluster = held.cluster();
    if (held.redis() != null && !held.redis().running()) {
      held.redis().startAgain(); // a proof that stopped it failed before starting it again
    }
    cluster.heal();
    cluster.stopEveryStream();
    cluster.broker().mark();
  }

  private static Cluster cluster(ExtensionContext context) {
    return held(context).cluster();
  }

  private static Held held(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Held.class,
            type -> {
              RedisServer redis = null;
              try {
                Cluster.Spec spec = SPEC;
                if (RedisServer.available()) {
                  redis = RedisServer.start(REDIS_PASSWORD);
                  spec = spec.withEnvironment("TICKSHARD_REDIS_URL", redis.url());
                }
                return new Held(Cluster.start(spec), redis);
              } catch (Exception e) {
                if (redis != null) {
                  try {
                    redis.close();
                  } catch (Exception closing) {
                    e.addSuppressed(closing);
                  }
                }
                throw new IllegalStateException("the shared cluster did not start", e);
              }
            },
            Held.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Cluster.class || type == RedisServer.class;
  }

  /** The cluster, or its Redis ({@code null} when the machine has no redis-server). */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Held held = held(context);
    return parameter.getParameter().getType() == Cluster.class ? held.cluster() : held.redis();
  }
}
