package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A journal written before the stream entity moved to this package still reads: its events and
 * snapshots carry the old class names as their manifests.
 */
class FromRootPackageTest {
  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    // The service's Pekko layer, where the migrations are configured.
    kit =
        ActorTestKit.create(
            "migrations",
            ConfigFactory.load(ConfigFactory.parseResources("tickshard-streams.conf")));
    serialization = SerializationExtension.get(kit.system().classicSystem());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** What the journal held for {@code persisted}, written under its old name, read back now. */
  private static Object readAsWrittenBefore(Object persisted) {
    SerializerWithStringManifest serializer =
        (SerializerWithStringManifest) serialization.findSerializerFor(persisted);
    byte[] bytes = serializer.toBinary(persisted);
    assertThat(serializer.manifest(persisted)).isEqualTo(persisted.getClass().getName());
    String before = FromRootPackage.oldName(persisted.getClass());
    assertThat(before).startsWith("io.tickshard.streams.StreamEntity$");
    return serialization.deserialize(bytes, serializer.identifier(), before).get();
  }

  @Test
  void events_and_snapshots_written_under_the_old_class_names_read_as_they_are_now() {
    StreamSpec spec =
        new StreamSpec(StreamKey.of("swing", List.of("1333", "2885")), FeedMode.QUOTE);
    Instant at = Instant.parse("2026-12-01T04:00:00Z");
    StreamEntity.StreamStarted started = new StreamEntity.StreamStarted(spec, at);
    StreamEntity.StreamStopped stopped =
        new StreamEntity.StreamStopped("market_closed", at, 317L, at.minusSeconds(1));
    StreamEntity.State state = StreamEntity.State.started(started).stopped(stopped);

    assertThat(readAsWrittenBefore(started)).isEqualTo(started);
    assertThat(readAsWrittenBefore(stopped)).isEqualTo(stopped);
    assertThat(readAsWrittenBefore(state)).isEqualTo(state);
  }
}
