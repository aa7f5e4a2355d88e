package io.tickshard.redis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package; .ci/run installs it) on 127.0.0.1 and a free port,
 * in a directory of its own, persisting nothing; it can be stopped and started again on the same
 * port, as an operator's restart would. Tests that need one call {@link #available} first and skip
 * with its reason when the binary is missing.
 */
public final class RedisServer implements AutoCloseable {
  private static final Path[] BINARIES = {
    Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")
  };

  private final Path binary;
  private final Path directory;
  private final int port;
  private final String password;
  private Process process;

  private RedisServer(Path binary, Path directory, int port, String password) {
    this.binary = binary;
    this.directory = directory;
    this.port = port;
    this.password = password;
  }

  /** Whether a redis-server binary is here; the message to skip with when not. */
  public static boolean available() {
    return binary() != null;
  }

  public static String missing() {
    return "redis-server is not installed (apt-get install redis-server; .ci/run does it)";
  }

  private static Path binary() {
    for (Path candidate : BINARIES) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Starts one without a password. */
  public static RedisServer start() throws IOException {
    return start("");
  }

  /** Starts one that asks for {@code password} (empty: none), and waits until it answers. */
  public static RedisServer start(String password) throws IOException {
    Path binary = binary();
    if (binary == null) {
      throw new IllegalStateException(missing());
    }
    RedisServer server =
        new RedisServer(binary, Files.createTempDirectory("tickshard-redis"), freePort(), password);
    server.startAgain();
    return server;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** The URL a node is given ({@code TICKSHARD_REDIS_URL}), credentials and all. */
  public String url() {
    return password.isEmpty()
        ? "redis://127.0.0.1:" + port + "/0"
        : "redis://:" + password + "@127.0.0.1:" + port + "/0";
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Starts it (again) on its port, and waits until it answers PING. */
  public void startAgain() throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            binary.toString(),
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory.toString(),
            "--daemonize",
            "no"));
    if (!password.isEmpty()) {
      command.addAll(List.of("--requirepass", password));
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("redis.log").toFile())
            .start();
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IOException(
            "redis-server exited at start: " + Files.readString(directory.resolve("redis.log")));
      }
      if (answersPing()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while redis-server started", e);
      }
    }
    throw new IOException("redis-server did not answer PING on port " + port + " within 20 s");
  }

  /** Kills it (SIGKILL: gone at once, as a crash) and waits until it has exited. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      String auth = password.isEmpty() ? "" : "AUTH " + password + "\r\n";
      out.write((auth + "PING\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[64];
      StringBuilder read = new StringBuilder();
      while (!read.toString().contains("PONG")) {
        int n = in.read(answer);
        if (n < 0) {
          return false;
        }
        read.append(new String(answer, 0, n, StandardCharsets.US_ASCII));
        if (read.indexOf("-") >= 0 && !read.toString().contains("+OK")) {
          return false; // LOADING or refused: not yet
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
