package io.tickshard.streams.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which credentials a node connects with: the newest, whatever their source. */
class BrokerPrecedenceTest {
  @TempDir Path directory;
  private ActorTestKit kit;

  private Broker broker(String fileSetting) {
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "tickshard.feed.client-id = \"1000012345\"\n"
                        + "tickshard.feed.access-token = \"env-token\"\n"
                        + fileSetting)
                .withFallback(ConfigFactory.load()));
    return Broker.get(kit.system());
  }

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private static BrokerCredentials api(String token, Instant at) {
    return new BrokerCredentials("1000012345", token, TokenSource.API, at);
  }

  @Test
  void the_environment_until_anything_newer() {
    Broker broker = broker("");
    assertThat(broker.current().source()).isEqualTo(TokenSource.ENV);
    assertThat(broker.current().accessToken()).isEqualTo("env-token");
  }

  @Test
  void a_token_file_wins_over_the_environment_at_start_whatever_its_age() throws Exception {
    Path file = directory.resolve("token");
    Files.writeString(file, "file-token\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    Broker broker = broker("tickshard.broker.token-file = \"" + file + "\"");

    assertThat(broker.current().source()).isEqualTo(TokenSource.FILE);
    assertThat(broker.current().accessToken()).isEqualTo("file-token");
    assertThat(broker.current().clientId()).isEqualTo("1000012345");
  }

  @Test
  void then_the_newest_of_the_file_and_the_api_wins_and_each_change_is_told() throws Exception {
    Path file = directory.resolve("token");
    Files.writeString(file, "file-token");
    Instant written = Instant.now().minusSeconds(60);
    Files.setLastModifiedTime(file, FileTime.from(written));
    Broker broker = broker("tickshard.broker.token-file = \"" + file + "\"");
    TestProbe<Broker.CredentialsChanged> changes = kit.createTestProbe();
    kit.system()
        .eventStream()
        .tell(new EventStream.Subscribe<>(Broker.CredentialsChanged.class, changes.getRef()));

    broker.offer(api("api-token", written.plusSeconds(30)));
    assertThat(changes.receiveMessage().current().accessToken()).isEqualTo("api-token");
    assertThat(broker.current().source()).isEqualTo(TokenSource.API);

    // An older file (a backup put back) does not take over from the API's newer token.
    broker.offer(new BrokerCredentials("1000012345", "old-file-token", TokenSource.FILE, written));
    assertThat(broker.current().accessToken()).isEqualTo("api-token");
    changes.expectNoMessage(Duration.ofMillis(200));

    // The cron job writes a newer token: the file wins until the API gives a newer one.
    broker.offer(
        new BrokerCredentials(
            "1000012345", "cron-token", TokenSource.FILE, written.plusSeconds(45)));
    assertThat(changes.receiveMessage().current().accessToken()).isEqualTo("cron-token");

    // The same token again, from the API: in use already, nothing to reconnect for.
    broker.offer(api("cron-token", written.plusSeconds(50)));
    assertThat(broker.current().source()).isEqualTo(TokenSource.API);
    changes.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void every_connect_reads_the_token_file_again() throws Exception {
    Path file = directory.resolve("token");
    Files.writeString(file, "first");
    // No keeper runs here: only the connect's own read can see the change.
    Broker broker = broker("tickshard.broker.token-file = \"" + file + "\"");
    assertThat(broker.forConnect().accessToken()).isEqualTo("first");

    Files.writeString(file, "second\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));

    assertThat(broker.forConnect().accessToken()).isEqualTo("second");
    assertThat(broker.current().source()).isEqualTo(TokenSource.FILE);
  }

  @Test
  void a_refusal_is_history_once_a_socket_connects_with_the_same_credentials() {
    Broker broker = broker("");
    broker.refused(broker.current(), 808, "disconnected by the broker: 808 AUTHENTICATION_FAILED");
    assertThat(broker.status().state()).isEqualTo(BrokerStatus.State.REFUSED);

    broker.accepted(broker.current());

    assertThat(broker.status().state()).isEqualTo(BrokerStatus.State.OK);
    assertThat(broker.status().lastRefusal().code()).isEqualTo(808);
    assertThat(broker.status().lastRefusal().ofCurrentCredentials()).isFalse();
  }

  @Test
  void a_refusal_of_the_credentials_in_use_is_the_state_until_new_ones_arrive() {
    Broker broker = broker("");
    broker.refused(broker.current(), 807, "disconnected by the broker: 807 ACCESS_TOKEN_EXPIRED");

    BrokerStatus refused = broker.status();
    assertThat(refused.state()).isEqualTo(BrokerStatus.State.REFUSED);
    assertThat(refused.lastRefusal().code()).isEqualTo(807);
    assertThat(refused.tokenSource()).isEqualTo(TokenSource.ENV);

    broker.offer(api("new-token", Instant.now()));
    BrokerStatus after = broker.status();
    assertThat(after.state()).isEqualTo(BrokerStatus.State.OK);
    assertThat(after.lastRefusal().ofCurrentCredentials()).isFalse();
  }
}
