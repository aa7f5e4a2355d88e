package io.tickshard.redis;

/**
 * A failure as a log line may show it: the class and message of its innermost cause, with the
 * endpoint's password cut out should a message ever quote it (Redis and Lettuce name the host, not
 * the credentials, but the URL is an operator's secret).
 */
final class Redaction {
  private Redaction() {}

  static String describe(Throwable failure, RedisSettings settings) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return settings.endpoint().redact(root.getClass().getSimpleName() + message);
  }
}
