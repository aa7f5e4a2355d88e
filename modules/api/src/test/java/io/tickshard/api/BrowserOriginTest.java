package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** The origin rules one by one, on requests built in memory (the HTTP scenarios are elsewhere). */
class BrowserOriginTest {
  private static final String SELF = "http://127.0.0.1:8080";

  private static ApiSettings settings(String overrides) {
    return ApiSettings.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
  }

  private static final BrowserOrigin OPEN =
      new BrowserOrigin(settings("tickshard.api.allowed-origins = \"https://screener.example\""));

  /** A request to {@code uri} with headers written {@code "Name: value"}. */
  private static HttpRequest request(String method, String uri, String... headers) {
    HttpRequest request =
        HttpRequest.create(uri).withMethod(HttpMethods.lookup(method).orElseThrow());
    for (String header : headers) {
      int colon = header.indexOf(':');
      request =
          request.addHeader(
              RawHeader.create(header.substring(0, colon), header.substring(colon + 1).trim()));
    }
    return request;
  }

  private static Optional<Problem> post(String... headers) {
    return OPEN.refusal(request("POST", SELF + "/api/v1/streams", headers));
  }

  @Test
  void a_client_without_browser_headers_passes() {
    assertThat(post()).isEmpty();
  }

  @Test
  void this_servers_own_origin_passes_in_any_case_and_with_its_default_port_spelled_out() {
    assertThat(post("Origin: " + SELF)).isEmpty();
    assertThat(post("Origin: HTTP://127.0.0.1:8080", "Sec-Fetch-Site: same-origin")).isEmpty();
    assertThat(
            OPEN.refusal(
                request(
                    "POST",
                    "http://tickshard.example/api/v1/streams",
                    "Origin: http://tickshard.example:80")))
        .isEmpty();
    assertThat(
            OPEN.refusal(
                request("POST", "http://[::1]:8080/api/v1/streams", "Origin: http://[::1]:8080")))
        .isEmpty();
  }

  @Test
  void another_scheme_host_or_port_is_another_origin() {
    for (String origin :
        new String[] {
          "https://127.0.0.1:8080",
          "http://127.0.0.1:8081",
          "http://localhost:8080",
          "http://evil.example",
          "http://127.0.0.1:8080.evil.example",
          "http://evil.example " + SELF,
          "not an origin",
          "file://"
        }) {
      Optional<Problem> refusal = post("Origin: " + origin);
      assertThat(refusal).as(origin).isPresent();
      assertThat(refusal.get().getStatus()).isEqualTo(403);
      assertThat(refusal.get().getType()).isEqualTo("/problems/cross-origin");
      assertThat(refusal.get().getDetail()).as(origin).contains(origin.trim(), SELF);
    }
  }

  @Test
  void origin_null_is_refused() {
    assertThat(post("Origin: null")).isPresent();
    assertThat(post("Origin: null", "Sec-Fetch-Site: same-origin")).isPresent();
  }

  @Test
  void only_same_origin_and_none_pass_as_sec_fetch_site() {
    assertThat(post("Sec-Fetch-Site: same-origin")).isEmpty();
    assertThat(post("Sec-Fetch-Site: none")).isEmpty();
    assertThat(post("Sec-Fetch-Site: same-site")).isPresent();
    assertThat(post("Sec-Fetch-Site: cross-site")).isPresent();
    assertThat(post("Sec-Fetch-Site: something-new")).isPresent();
    // A matching Origin does not outvote the browser's own verdict.
    assertThat(post("Origin: " + SELF, "Sec-Fetch-Site: cross-site")).isPresent();
  }

  @Test
  void a_listed_origin_passes_from_its_own_site_and_only_with_its_own_port() {
    assertThat(post("Origin: https://screener.example", "Sec-Fetch-Site: cross-site")).isEmpty();
    assertThat(post("Origin: https://screener.example:443")).isEmpty();
    assertThat(post("Origin: https://screener.example:8443")).isPresent();
    assertThat(post("Origin: http://screener.example")).isPresent();
  }

  @Test
  void every_method_that_changes_something_is_checked_and_reads_are_not() {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      assertThat(OPEN.refusal(request(method, SELF + "/x", "Origin: http://evil.example")))
          .as(method)
          .isPresent();
    }
    for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
      assertThat(
              OPEN.refusal(
                  request(
                      method,
                      SELF + "/x",
                      "Origin: http://evil.example",
                      "Sec-Fetch-Site: cross-site")))
          .as(method)
          .isEmpty();
    }
  }

  @Test
  void with_a_token_set_the_origin_is_not_checked() {
    BrowserOrigin guarded = new BrowserOrigin(settings("tickshard.api.token = s3cret"));
    assertThat(
            guarded.refusal(
                request(
                    "POST",
                    SELF + "/api/v1/streams",
                    "Origin: http://evil.example",
                    "Sec-Fetch-Site: cross-site")))
        .isEmpty();
  }

  @Test
  void allowed_origins_are_read_as_a_normalised_comma_list() {
    assertThat(settings("").allowedOrigins()).isEmpty();
    assertThat(
            settings(
                    "tickshard.api.allowed-origins = \" https://A.example/ , http://b.example:81\"")
                .allowedOrigins())
        .containsExactlyInAnyOrder("https://a.example:443", "http://b.example:81");
    for (String bad :
        new String[] {"a.example", "null", "ftp://a.example", "https://a.example/app"}) {
      assertThatThrownBy(() -> settings("tickshard.api.allowed-origins = \"" + bad + "\""))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tickshard.api.allowed-origins")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
