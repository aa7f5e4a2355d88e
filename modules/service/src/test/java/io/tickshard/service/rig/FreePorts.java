package io.tickshard.service.rig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Loopback ports that were free a moment ago, for servers that cannot bind port 0 (a node started
 * in another JVM). Taken below the kernel's ephemeral range: a port from port 0 is an ephemeral
 * one, and any outgoing connection (an HTTP client, a JDBC pool) may take it before the node binds
 * it — as happened once to a node's cluster port in a full build. Never the same port twice per
 * JVM.
 */
public final class FreePorts {
  private static final Random RANDOM = new Random();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final int LOWEST = 10_000;

  private FreePorts() {}

  public static synchronized int next() {
    int highest = ephemeralLow() - 1;
    for (int attempt = 0; attempt < 500 && highest > LOWEST; attempt++) {
      int port = LOWEST + RANDOM.nextInt(highest - LOWEST + 1);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        HANDED_OUT.add(port);
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: try another
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first port of the kernel's ephemeral range (Linux), else the IANA one's. */
  private static int ephemeralLow() {
    try {
      // Read as lines, not with Files.readString: that reads a sysctl file a byte at a time
      // (its size is 0), and procfs answers a read past the first byte with end-of-file, so it
      // gave "3", and every port came from the ephemeral range after all.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unknown) {
      return 49_152;
    }
  }
}
