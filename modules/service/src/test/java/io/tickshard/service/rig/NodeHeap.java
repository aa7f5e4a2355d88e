package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's heap as {@code jcmd} reads it (the nodes run the serial collector). */
public final class NodeHeap {
  private NodeHeap() {}

  /** Heap in use after a full collection, in KiB: the young and old generations' "used". */
  public static long usedKib(NodeProcess node) throws Exception {
    String pid = String.valueOf(node.handle().pid());
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher used =
        Pattern.compile("generation\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K").matcher(info);
    long kib = 0;
    int generations = 0;
    while (used.find()) {
      kib += Long.parseLong(used.group(1));
      generations++;
    }
    assertThat(generations).as(info).isEqualTo(2);
    return kib;
  }

  /** The heap in use once two readings in a row agree within 512 KiB (a backlog drained). */
  public static long settledKib(NodeProcess node) throws Exception {
    long previous = usedKib(node);
    for (int reading = 0; reading < 10; reading++) {
      long now = usedKib(node);
      if (Math.abs(now - previous) < 512) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  /** The live objects' classes, largest first. */
  public static String classHistogram(NodeProcess node) throws Exception {
    return jcmd(String.valueOf(node.handle().pid()), "GC.class_histogram");
  }

  private static String jcmd(String... arguments) throws Exception {
    String[] command = new String[arguments.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
