package io.tickshard.streams.registry;

import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The members that can run streams now, as this node sees them: Up and reachable (sharding places
 * nothing on a WeaklyUp member).
 */
final class ServingMembers {
  private ServingMembers() {}

  static List<Member> of(Cluster cluster) {
    Set<Member> unreachable = cluster.state().getUnreachable();
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .filter(m -> !unreachable.contains(m))
        .toList();
  }
}
