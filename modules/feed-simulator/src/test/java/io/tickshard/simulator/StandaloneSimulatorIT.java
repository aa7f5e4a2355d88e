package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.QuotePacket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar, run the way the README says, serves a feed a client can decode. */
class StandaloneSimulatorIT {
  private static final Pattern FEED_LINE = Pattern.compile("feed:\\s+ws://127\\.0\\.0\\.1:(\\d+)/");

  @Test
  void the_runnable_jar_serves_a_decodable_feed_and_stops_on_sigterm() throws Exception {
    Path jar = Path.of("target", "feed-simulator.jar");
    assertThat(jar).exists();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--port",
                "0",
                "--rate",
                "10",
                "--credentials",
                "it-client:it-token")
            .redirectErrorStream(true)
            .start();
    try {
      int port = portFromOutput(process).get(60, TimeUnit.SECONDS);
      URI url =
          URI.create(
              "ws://127.0.0.1:"
                  + port
                  + "/?version=2&token=it-token&clientId=it-client&authType=2");
      try (FeedClient client = FeedClient.connect(url)) {
        client.send(
            FeedRequest.subscribe(
                FeedMode.QUOTE, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 1333))));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> client.packets.stream().filter(QuotePacket.class::isInstance).count() >= 3);
        assertThat(client.malformed).isEmpty();
      }
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
    }
  }

  /** Reads the process's output on a thread of its own, until the line naming the feed URL. */
  private static CompletableFuture<Integer> portFromOutput(Process process) {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  Matcher matcher = FEED_LINE.matcher(line);
                  if (matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                  }
                }
                port.completeExceptionally(new IllegalStateException("simulator exited"));
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
            },
            "simulator-output");
    reader.setDaemon(true);
    reader.start();
    return port;
  }
}
