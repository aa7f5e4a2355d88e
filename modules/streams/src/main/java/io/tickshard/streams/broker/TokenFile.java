package io.tickshard.streams.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The access token in {@code DHANHQ_ACCESS_TOKEN_FILE}: the whole file, surrounding white space
 * taken off (a cron job's {@code echo} adds a newline). Its time is the file's modification time,
 * so that every node, and every restart, ranks it the same against credentials from the API.
 */
final class TokenFile {
  private TokenFile() {}

  /** Empty when the file cannot be read or holds no token; the caller keeps what it had. */
  static Optional<BrokerCredentials> read(Path file, String clientId) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        return Optional.empty();
      }
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      return Optional.of(new BrokerCredentials(clientId, token, TokenSource.FILE, modified));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }
}
