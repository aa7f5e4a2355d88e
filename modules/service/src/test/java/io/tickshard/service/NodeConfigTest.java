package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;

/** What a node decides from its configuration before it starts anything: the feed. */
class NodeConfigTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void no_credentials_run_the_built_in_simulator_always_open() {
    NodeConfig.Plan plan = NodeConfig.plan(with(""));
    assertThat(plan.brokerCredentials()).isFalse();
    assertThat(plan.simulatorInProcess()).isTrue();
    assertThat(plan.marketHours()).isEqualTo("always");
  }

  @Test
  void a_client_id_with_a_token_file_is_the_broker_as_with_a_token() {
    for (String credentials :
        new String[] {
          "tickshard.broker.access-token = \"t\"", "tickshard.broker.token-file = \"/run/token\""
        }) {
      Config config = with("tickshard.broker.client-id = \"1000012345\"\n" + credentials);
      NodeConfig.Plan plan = NodeConfig.plan(config);

      assertThat(plan.brokerCredentials()).as(credentials).isTrue();
      assertThat(plan.simulatorInProcess()).as(credentials).isFalse();
      assertThat(plan.marketHours()).as(credentials).isEqualTo("nse");
      assertThat(NodeConfig.externalFeed(config).url()).isEqualTo(NodeConfig.BROKER_URL);
      assertThat(NodeConfig.externalFeed(config).broker()).isTrue();
    }
  }

  @Test
  void a_token_file_without_a_client_id_is_not_enough() {
    NodeConfig.Plan plan = NodeConfig.plan(with("tickshard.broker.token-file = \"/run/token\""));
    assertThat(plan.brokerCredentials()).isFalse();
  }

  @Test
  void the_node_tells_the_cluster_the_build_s_version_unless_one_is_given() {
    NodeConfig.Plan built = NodeConfig.plan(with(""));
    assertThat(built.appVersion()).isEqualTo(Usage.version()).isNotEqualTo("unknown");
    // Sharding compares them: a version it cannot read would leave the upgrade's order to chance.
    assertThat(new Version(built.appVersion()).compareTo(new Version("0.0.1"))).isPositive();

    NodeConfig.Plan given = NodeConfig.plan(with("pekko.cluster.app-version = \"2.4.1\""));
    assertThat(given.appVersion()).isEqualTo("2.4.1");
    Config running =
        NodeConfig.finalConfig(
            given,
            NodeConfig.externalFeed(with("")),
            new NodeConfig.Database("jdbc:postgresql://127.0.0.1:5432/x", "u", "", false));
    assertThat(running.getString("pekko.cluster.app-version")).isEqualTo("2.4.1");
  }

  @Test
  void discovery_replaces_the_seed_nodes_with_cluster_bootstrap() {
    NodeConfig.Plan plan =
        NodeConfig.plan(
            with(
                "tickshard.discovery = config\n"
                    + "tickshard.discovery-endpoints = \"127.0.0.1:8591, 127.0.0.1:8592\""));
    assertThat(plan.discovery().enabled()).isTrue();
    Config running =
        NodeConfig.finalConfig(
            plan,
            NodeConfig.externalFeed(with("")),
            new NodeConfig.Database("jdbc:postgresql://127.0.0.1:5432/x", "u", "", false));
    assertThat(running.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertThat(running.getString(bootstrap + "discovery-method")).isEqualTo("config");
    assertThat(running.getString(bootstrap + "service-name")).isEqualTo("tickshard");
    assertThat(running.getInt(bootstrap + "required-contact-point-nr")).isEqualTo(2);
    assertThat(running.getConfigList("pekko.discovery.config.services.tickshard.endpoints"))
        .extracting(e -> e.getString("host") + ":" + e.getInt("port"))
        .containsExactly("127.0.0.1:8591", "127.0.0.1:8592");

    NodeConfig.Plan kubernetes = NodeConfig.plan(with("tickshard.discovery = kubernetes-api"));
    Config inPod =
        NodeConfig.finalConfig(
            kubernetes,
            NodeConfig.externalFeed(with("")),
            new NodeConfig.Database("jdbc:postgresql://127.0.0.1:5432/x", "u", "", false));
    assertThat(inPod.getString(bootstrap + "port-name")).isEqualTo("management");
    assertThat(inPod.getString(bootstrap + "discovery-method")).isEqualTo("kubernetes-api");
  }

  @Test
  void a_discovery_that_cannot_work_stops_the_node_with_what_to_set() {
    assertThatThrownBy(() -> NodeConfig.plan(with("tickshard.discovery = dns")))
        .hasMessageContaining("TICKSHARD_DISCOVERY must be config or kubernetes-api");
    assertThatThrownBy(() -> NodeConfig.plan(with("tickshard.discovery = config")))
        .hasMessageContaining("TICKSHARD_DISCOVERY_ENDPOINTS");
    assertThatThrownBy(
            () ->
                NodeConfig.plan(
                    with(
                        "tickshard.discovery = config\n"
                            + "tickshard.discovery-endpoints = \"node1\"")))
        .hasMessageContaining("host:port");
  }
}
