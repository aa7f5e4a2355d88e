package io.tickshard.streams;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/** How a node is named in status answers and log lines: {@code host:port} of its remoting. */
public final class NodeName {
  private NodeName() {}

  public static String of(ActorSystem<?> system) {
    return of(Cluster.get(system).selfMember().address());
  }

  public static String of(Address address) {
    return address.getHost().orElse("local")
        + ":"
        + address.getPort().map(String::valueOf).orElse("0");
  }
}
