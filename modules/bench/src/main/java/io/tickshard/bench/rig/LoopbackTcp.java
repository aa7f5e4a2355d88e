package io.tickshard.bench.rig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the kernel says of TCP on this machine (Linux's {@code /proc/net}): how often a listen queue
 * overflowed, and how many connections are open to some ports. A connect whose SYN found its
 * server's accept queue full is dropped and retried by the client's kernel 1 s later, then 3 s: the
 * overflow count says when late answers are that, not the server's own work.
 */
public final class LoopbackTcp {
  private static final Path NETSTAT = Path.of("/proc/net/netstat");
  private static final List<Path> SOCKETS =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";

  private LoopbackTcp() {}

  /**
   * Connections dropped because a listen queue was full, so far, over the whole network namespace
   * (other processes' too); -1 where the kernel does not say.
   */
  public static long listenOverflows() {
    try {
      return counter(Files.readAllLines(NETSTAT), "TcpExt:", "ListenOverflows");
    } catch (IOException | RuntimeException unknown) {
      return -1;
    }
  }

  static long counter(List<String> netstat, String group, String name) {
    // Pairs of lines: "TcpExt: Name1 Name2 ...", then "TcpExt: value1 value2 ...".
    for (int i = 0; i + 1 < netstat.size(); i++) {
      if (netstat.get(i).startsWith(group) && netstat.get(i + 1).startsWith(group)) {
        List<String> names = List.of(netstat.get(i).split("\\s+"));
        int at = names.indexOf(name);
        if (at > 0) {
          return Long.parseLong(netstat.get(i + 1).split("\\s+")[at]);
        }
      }
    }
    throw new IllegalArgumentException("no " + group + " " + name);
  }

  /**
   * Established connections whose far end is one of {@code ports} (the clients' ends of connections
   * to servers on them); -1 where the kernel does not say.
   */
  public static long connectionsTo(Set<Integer> ports) {
    long open = 0;
    try {
      for (Path table : SOCKETS) {
        if (Files.isReadable(table)) {
          open += connectionsTo(Files.readAllLines(table), ports);
        }
      }
      return open;
    } catch (IOException | RuntimeException unknown) {
      return -1;
    }
  }

  static long connectionsTo(List<String> table, Set<Integer> ports) {
    // "sl local_address rem_address st ...", addresses as HEX_IP:HEX_PORT; a heading first.
    return table.stream()
        .skip(1)
        .map(line -> line.trim().split("\\s+"))
        .filter(fields -> fields.length > 3 && fields[3].equals(ESTABLISHED))
        .map(fields -> fields[2].substring(fields[2].lastIndexOf(':') + 1))
        .filter(port -> ports.contains(Integer.parseInt(port, 16)))
        .count();
  }
}
