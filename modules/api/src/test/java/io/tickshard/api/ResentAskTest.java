package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.streams.entity.StreamEntity;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An ask whose first copy is lost (as in a shard hand-off) is answered by a later copy. */
class ResentAskTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static EntityRef<StreamEntity.Command> entity(TestProbe<StreamEntity.Command> probe) {
    return TestEntityRef.of(StreamEntity.TYPE_KEY, "type:x|ids:1", probe.getRef());
  }

  @Test
  void a_dropped_command_is_sent_again_and_the_first_answer_is_the_call_s() throws Exception {
    TestProbe<StreamEntity.Command> probe = kit.createTestProbe();
    CompletionStage<StreamEntity.StatusReply> answer =
        ResentAsk.ask(
            kit.system(),
            entity(probe),
            StreamEntity.GetStatus::new,
            Duration.ofSeconds(5),
            Duration.ofMillis(200));

    StreamEntity.GetStatus lost = probe.expectMessageClass(StreamEntity.GetStatus.class);
    StreamEntity.GetStatus again = probe.expectMessageClass(StreamEntity.GetStatus.class);
    assertThat(again.replyTo()).isEqualTo(lost.replyTo()); // one reply address for every copy
    again.replyTo().tell(new StreamEntity.Unknown());
    lost.replyTo().tell(new StreamEntity.Found(null)); // a late answer of another copy: ignored

    assertThat(answer.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(StreamEntity.Unknown.class);
    // Answered: no more copies.
    probe.expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  void without_any_answer_the_ask_times_out_and_stops_sending() {
    TestProbe<StreamEntity.Command> probe = kit.createTestProbe();
    CompletionStage<StreamEntity.StatusReply> answer =
        ResentAsk.ask(
            kit.system(),
            entity(probe),
            StreamEntity.GetStatus::new,
            Duration.ofMillis(1000),
            Duration.ofMillis(400));

    assertThatThrownBy(() -> answer.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    probe.receiveSeveralMessages(3, Duration.ofSeconds(2)); // at 0, 400 and 800 ms
    probe.expectNoMessage(Duration.ofSeconds(1));
  }
}
