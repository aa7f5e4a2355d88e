package io.tickshard.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node-local tick topics: one per key, kept while watched, swept when nobody watches. */
class TickTopicsTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "topics",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n")
                .withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ActorRef<Topic.Command<Tick>> topic(
      ActorRef<TickTopics.Command> topics, StreamKey key) {
    TestProbe<ActorRef<Topic.Command<Tick>>> probe = kit.createTestProbe();
    topics.tell(new TickTopics.GetTopic(key, probe.getRef()));
    return probe.receiveMessage();
  }

  /** Forwards "stopped" to the probe when {@code watched} stops. */
  private static void watch(ActorRef<?> watched, TestProbe<Object> probe) {
    kit.spawn(
        Behaviors.setup(
            context -> {
              context.watchWith(watched, "stopped");
              return Behaviors.receiveMessage(
                  message -> {
                    probe.getRef().tell(message);
                    return Behaviors.same();
                  });
            }));
  }

  @Test
  void viewers_of_one_key_share_one_topic() {
    ActorRef<TickTopics.Command> topics = kit.spawn(TickTopics.create());
    StreamKey key = StreamKey.of("shared", List.of("1"));
    assertThat(topic(topics, key)).isEqualTo(topic(topics, key));
    assertThat(topic(topics, StreamKey.of("shared", List.of("2"))))
        .isNotEqualTo(topic(topics, key));
  }

  @Test
  void a_topic_with_a_viewer_is_kept_and_one_nobody_watches_for_two_sweeps_is_stopped() {
    ActorRef<TickTopics.Command> topics = kit.spawn(TickTopics.create(Duration.ofMillis(200)));
    ActorRef<Topic.Command<Tick>> watchedTopic =
        topic(topics, StreamKey.of("watched", List.of("3")));
    TestProbe<Tick> viewer = kit.createTestProbe();
    watchedTopic.tell(Topic.subscribe(viewer.getRef()));
    ActorRef<Topic.Command<Tick>> idleTopic = topic(topics, StreamKey.of("idle", List.of("4")));
    TestProbe<Object> stops = kit.createTestProbe();
    watch(idleTopic, stops);
    watch(watchedTopic, stops);

    stops.expectMessage(Duration.ofSeconds(5), "stopped");
    // Many sweeps later, the watched one is still there: only the idle one stopped.
    stops.expectNoMessage(Duration.ofSeconds(1));
    assertThat(topic(topics, StreamKey.of("watched", List.of("3")))).isEqualTo(watchedTopic);
    assertThat(topic(topics, StreamKey.of("idle", List.of("4")))).isNotEqualTo(idleTopic);
  }
}
