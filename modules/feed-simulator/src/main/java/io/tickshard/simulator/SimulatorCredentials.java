package io.tickshard.simulator;

import io.tickshard.feed.AccessTokenExpiry;
import io.tickshard.feed.DisconnectReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The access tokens the simulator accepts, which change while it runs: the broker issues a new
 * token before the old one expires, so a client id may hold several valid tokens at once. A token
 * is expired when it was expired explicitly or when it is JWT-shaped and its {@code exp} has
 * passed. Thread-safe; every call is short, so one lock is enough.
 */
final class SimulatorCredentials {
  private final Map<String, Set<String>> tokensByClient = new HashMap<>();
  private final Set<String> expired = new HashSet<>();

  SimulatorCredentials(Map<String, String> initial, Set<String> expiredTokens) {
    initial.forEach((clientId, token) -> tokens(clientId).add(token));
    expired.addAll(expiredTokens);
  }

  /**
   * Zero when {@code token} is one of {@code clientId}'s and not expired at {@code now}, else the
   * disconnect reason: 808 no token, 810 unknown client id, 807 expired, 809 not the client's.
   */
  synchronized int authenticate(String clientId, String token, Instant now) {
    if (token == null || token.isEmpty()) {
      return DisconnectReason.AUTHENTICATION_FAILED.code();
    }
    if (clientId == null || !tokensByClient.containsKey(clientId)) {
      return DisconnectReason.CLIENT_ID_INVALID.code();
    }
    if (isExpired(token, now)) {
      return DisconnectReason.ACCESS_TOKEN_EXPIRED.code();
    }
    return tokensByClient.get(clientId).contains(token)
        ? 0
        : DisconnectReason.ACCESS_TOKEN_INVALID.code();
  }

  /**
   * Adds a valid token for {@code clientId}, creating the client id if it is new, and answers how
   * many of its tokens are valid now. Adding a token that was expired explicitly makes it valid
   * again (a JWT whose {@code exp} has passed stays expired).
   */
  synchronized int add(String clientId, String token, Instant now) {
    expired.remove(token);
    tokens(clientId).add(token);
    return (int) tokensByClient.get(clientId).stream().filter(t -> !isExpired(t, now)).count();
  }

  /** Expires {@code token} from now on, whether or not any client holds it. */
  synchronized void expire(String token) {
    expired.add(token);
  }

  synchronized boolean isExpired(String token, Instant now) {
    return expired.contains(token) || expiryOf(token).map(exp -> !now.isBefore(exp)).orElse(false);
  }

  private Set<String> tokens(String clientId) {
    return tokensByClient.computeIfAbsent(clientId, id -> new HashSet<>());
  }

  /** A JWT-shaped token's {@code exp}; a token without one never expires by itself. */
  static Optional<Instant> expiryOf(String token) {
    return AccessTokenExpiry.of(token);
  }
}
