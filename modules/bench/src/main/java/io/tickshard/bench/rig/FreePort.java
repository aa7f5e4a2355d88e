package io.tickshard.bench.rig;

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
 * A loopback port nobody listens on right now, for the processes the tool starts, below the
 * kernel's ephemeral range: a port from port 0 is an ephemeral one, which any outgoing connection
 * (a viewer, a JDBC pool) may take before the process binds it. Never the same port twice. (The
 * service's tests pick ports the same way, in their FreePorts; the tool cannot use test code.)
 */
public final class FreePort {
  private static final Random RANDOM = new Random();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final int LOWEST = 10_000;

  private FreePort() {}

  public static synchronized int next() {
    int highest = ephemeralLow() - 1;
    for (int attempt = 0; attempt < 500 && highest > LOWEST; attempt++) {
      int port = LOWEST + RANDOM.nextInt(highest - LOWEST + 1);
      if (HANDED_OUT.add(port) && free(port)) {
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /**
   * The first port of the kernel's ephemeral range (Linux), else the IANA one's. Read as lines:
   * Files.readString reads a sysctl file a byte at a time, and procfs ends it after the first.
   */
  private static int ephemeralLow() {
    try {
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unknown) {
      return 49_152;
    }
  }
}
