package io.tickshard.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/** Guards the calls that change streams when {@code TICKSHARD_API_TOKEN} is set. */
final class BearerToken {
  private final Optional<byte[]> expected;

  BearerToken(Optional<String> token) {
    this.expected = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of an {@code Authorization: Bearer <token>} header (the scheme in any case). */
  private static byte[] presented(String header) {
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
      return new byte[0];
    }
    return header.substring(space + 1).trim().getBytes(StandardCharsets.UTF_8);
  }

  Route required(Supplier<Route> inner) {
    if (expected.isEmpty()) {
      return inner.get();
    }
    return Directives.optionalHeaderValueByName(
        "Authorization",
        header -> {
          // Constant-time, so the token cannot be guessed byte by byte from response times.
          if (header.isPresent()
              && MessageDigest.isEqual(presented(header.get()), expected.get())) {
            return inner.get();
          }
          return Directives.complete(
              Problem.unauthorized()
                  .toResponse()
                  .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "tickshard"))));
        });
  }
}
