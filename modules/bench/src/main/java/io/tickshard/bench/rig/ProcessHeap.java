package io.tickshard.bench.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's heap in use after a full collection, as {@code jcmd} reads it ({@code GC.run}, then
 * {@code GC.heap_info}, in one attach): what its live objects hold, not what garbage is waiting.
 */
public final class ProcessHeap {
  /** A generation's line (serial, parallel) or the whole heap's (G1): "total NK, used NK". */
  private static final Pattern USED = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private ProcessHeap() {}

  /** Collects the whole heap of {@code pid} and answers the bytes still in use. */
  public static long usedAfterFullGc(long pid) throws IOException, InterruptedException {
    Path commands = Files.createTempFile("bench-heap", ".jcmd");
    try {
      Files.writeString(commands, "GC.run\nGC.heap_info\n");
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      if (!Files.isExecutable(jcmd)) {
        throw new IllegalStateException(jcmd + " is missing: the tool needs a JDK, not a JRE");
      }
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd " + pid + " failed: " + output);
      }
      return parse(output);
    } finally {
      Files.deleteIfExists(commands);
    }
  }

  /** The bytes in use that {@code GC.heap_info} reports: its generations' "used", summed. */
  static long parse(String heapInfo) {
    Matcher used = USED.matcher(heapInfo);
    long kib = 0;
    boolean found = false;
    while (used.find()) {
      kib += Long.parseLong(used.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalStateException(
          "no heap figures in jcmd's GC.heap_info (a collector other than G1, serial or"
              + " parallel?):\n"
              + heapInfo);
    }
    return kib * 1024;
  }
}
