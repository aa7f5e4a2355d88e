package io.tickshard.streams.broker;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a node keeps its broker credentials, from {@code tickshard.broker}.
 *
 * @param tokenFile {@code DHANHQ_ACCESS_TOKEN_FILE}, when set
 * @param expiryWarning health is degraded this long before the token's {@code exp}
 * @param reconnectSpread streams waiting for credentials reconnect within this of new ones
 * @param replicateTimeout how long an API call waits for every node to have new credentials
 */
public record BrokerSettings(
    Optional<Path> tokenFile,
    Duration tokenFileCheckInterval,
    Duration expiryWarning,
    Duration reconnectSpread,
    Duration replicateTimeout) {

  public static BrokerSettings fromConfig(Config root) {
    Config broker = root.getConfig("tickshard.broker");
    String file = broker.getString("token-file").trim();
    return new BrokerSettings(
        file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)),
        broker.getDuration("token-file-check-interval"),
        broker.getDuration("expiry-warning"),
        broker.getDuration("reconnect-spread"),
        broker.getDuration("replicate-timeout"));
  }
}
