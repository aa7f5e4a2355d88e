package io.tickshard.bench.client;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;

/** The tool's own ActorSystem, for its viewers: quiet, and with no limit on a response's length. */
public final class ClientSystem {
  private ClientSystem() {}

  public static ActorSystem create() {
    return ActorSystem.create(
        "bench",
        ConfigFactory.parseString(
                """
                pekko.loglevel = WARNING
                pekko.http.client.idle-timeout = 60s
                pekko.http.client.connecting-timeout = 10s
                pekko.http.client.parsing.max-content-length = infinite
                """)
            .withFallback(ConfigFactory.load()));
  }
}
