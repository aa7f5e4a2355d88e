package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tickshard.service.rig.FreePorts;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A start that cannot succeed says so in one line naming the variable to change: found before
 * anything starts where it can be (a port in use, an unknown host, a URL that is not PostgreSQL's),
 * else told from what failed (a bind lost to a race, a database that refuses). No line carries a
 * password.
 */
class StartupCheckTest {
  private final int http = FreePorts.next();
  private final int management = FreePorts.next();
  private final int cluster = FreePorts.next();

  /** As the node reads it, on free loopback ports, with {@code overrides} on top. */
  private Config config(String overrides) {
    return ConfigFactory.load(
        ConfigFactory.parseString(overrides)
            .withFallback(
                ConfigFactory.parseString(
                    "tickshard { host = \"127.0.0.1\", http.port = "
                        + http
                        + ", management-port = "
                        + management
                        + ", cluster-port = "
                        + cluster
                        + " }"))
            .withFallback(ConfigFactory.defaultApplication()));
  }

  private static NodeConfig.Plan plan(Config config) {
    return NodeConfig.plan(config);
  }

  private static String failure(Config config) {
    try {
      StartupCheck.beforeStart(config, plan(config));
    } catch (StartupCheck.Failure failure) {
      return failure.getMessage();
    }
    throw new AssertionError("the start was not refused");
  }

  @Test
  void free_ports_on_a_local_host_pass() {
    Config config = config("");
    assertThatCode(() -> StartupCheck.beforeStart(config, plan(config))).doesNotThrowAnyException();
  }

  @Test
  void a_port_in_use_is_named_with_its_variable_before_anything_starts() throws Exception {
    for (int port : List.of(http, management, cluster)) {
      try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        String variable =
            port == http
                ? "TICKSHARD_HTTP_PORT"
                : port == management ? "TICKSHARD_MANAGEMENT_PORT" : "TICKSHARD_CLUSTER_PORT";
        assertThat(failure(config("")))
            .isEqualTo("127.0.0.1:" + port + " is in use; set " + variable + " to a free port");
      }
    }
  }

  @Test
  void a_fixed_simulator_port_in_use_names_its_setting() throws Exception {
    int port = FreePorts.next();
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(failure(config("tickshard.simulator.port = " + port)))
          .isEqualTo(
              "127.0.0.1:" + port + " is in use; set tickshard.simulator.port to a free port");
    }
  }

  @Test
  void one_port_for_two_listeners_is_refused() {
    assertThat(failure(config("tickshard.management-port = " + http)))
        .isEqualTo(
            "TICKSHARD_HTTP_PORT and TICKSHARD_MANAGEMENT_PORT are both "
                + http
                + "; set them to different ports");
  }

  @Test
  void a_port_out_of_range_is_refused() {
    assertThat(failure(config("tickshard.http.port = 70000")))
        .isEqualTo("TICKSHARD_HTTP_PORT must be a port from 1 to 65535, not 70000");
  }

  @Test
  void an_unknown_host_names_tickshard_host() {
    assertThat(failure(config("tickshard.host = \"no-such-host.invalid\"")))
        .startsWith("TICKSHARD_HOST 'no-such-host.invalid' is not a known host name;")
        .contains("set TICKSHARD_HOST");
  }

  @Test
  void a_database_url_that_is_not_postgresql_s_is_refused_without_its_password() {
    assertThat(failure(config("tickshard.db.url = \"postgres://app:s3cret@db:5432/ticks\"")))
        .isEqualTo(
            "TICKSHARD_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database),"
                + " not 'postgres://***@db:5432/ticks'");
  }

  @Test
  void a_bind_lost_after_the_check_is_told_as_pekko_words_it() {
    Config config = config("");
    // pekko-http's and pekko-management's binding, and Artery's, as they fail.
    assertThat(
            StartupCheck.line(
                new ExecutionException(
                    new RuntimeException(
                        "Bind failed because of java.net.BindException: [/127.0.0.1:"
                            + http
                            + "] Address already in use")),
                config))
        .isEqualTo("127.0.0.1:" + http + " is in use; set TICKSHARD_HTTP_PORT to a free port");
    assertThat(
            StartupCheck.line(
                new RuntimeException(
                    "Failed to bind TCP to [127.0.0.1:"
                        + cluster
                        + "] due to: Bind failed because of java.net.BindException: [/127.0.0.1:"
                        + cluster
                        + "] Address already in use"),
                config))
        .isEqualTo(
            "127.0.0.1:" + cluster + " is in use; set TICKSHARD_CLUSTER_PORT to a free port");
    assertThat(
            StartupCheck.line(
                new RuntimeException(
                    "Bind failed because of java.net.BindException: [/10.9.8.7:"
                        + management
                        + "] Cannot assign requested address"),
                config("tickshard.host = \"10.9.8.7\"")))
        .isEqualTo(
            "10.9.8.7 is not an address of this machine; set TICKSHARD_HOST to one of its"
                + " addresses");
  }

  @Test
  void a_database_that_refuses_names_what_to_set_and_never_the_password() {
    Config config =
        config(
            "tickshard.db { url = \"jdbc:postgresql://db:5432/ticks?password=s3cret\","
                + " user = app, password = hunter22 }");
    String url = "jdbc:postgresql://db:5432/ticks?password=***";
    assertThat(
            StartupCheck.line(
                schema(new SQLException("Connection to db:5432 refused.", "08001", refused())),
                config))
        .isEqualTo(
            "the database at "
                + url
                + " cannot be reached (connection refused); set TICKSHARD_DB_URL to a PostgreSQL"
                + " that accepts connections");
    assertThat(
            StartupCheck.line(
                schema(
                    new SQLException(
                        "The connection attempt failed.", "08001", new UnknownHostException("db"))),
                config))
        .startsWith("the database host of TICKSHARD_DB_URL (" + url + ") is unknown;");
    assertThat(
            StartupCheck.line(
                schema(
                    new SQLException(
                        "FATAL: password authentication failed for user \"app\" (hunter22)",
                        "28P01")),
                config))
        .startsWith("the database at " + url + " refused user 'app'")
        .endsWith("set TICKSHARD_DB_USER and TICKSHARD_DB_PASSWORD");
    assertThat(
            StartupCheck.line(
                schema(
                    new SQLException(
                        "No suitable driver found for jdbc:postgresql://db:5432/ticks?password=s3cret",
                        "08001")),
                config))
        .startsWith("TICKSHARD_DB_URL is not a URL the PostgreSQL driver accepts");
    assertThat(
            StartupCheck.line(
                schema(new SQLException("ERROR: permission denied for schema public", "42501")),
                config))
        .contains("permission denied for schema public")
        .contains("TICKSHARD_DB_USER");
    // Whatever failed, the configured password is not in the line.
    assertThat(StartupCheck.line(new IllegalStateException("login hunter22 s3cret"), config))
        .doesNotContain("hunter22")
        .doesNotContain("s3cret");
  }

  @Test
  void a_setting_of_the_wrong_type_names_its_variable() {
    Config config = config("tickshard.http.port = abc");
    Throwable wrongType = null;
    try {
      config.getInt("tickshard.http.port");
    } catch (ConfigException e) {
      wrongType = e;
    }
    assertThat(StartupCheck.line(wrongType, null))
        .endsWith(
            "tickshard.http.port has type STRING rather than NUMBER; check"
                + " TICKSHARD_HTTP_PORT");
    assertThatThrownBy(() -> StartupCheck.beforeStart(config, plan(config)))
        .isInstanceOf(ConfigException.WrongType.class);
  }

  private static IllegalStateException schema(SQLException failure) {
    return new IllegalStateException(
        "could not create the journal schema: " + failure.getMessage(), failure);
  }

  private static ConnectException refused() {
    return new ConnectException("Connection refused");
  }
}
