package io.tickshard.bench.rig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time from {@code /proc/<pid>/stat} (Linux): what a node spent, not what the
 * machine did, so that a node and its baseline can be compared per CPU-second.
 */
public final class ProcessCpu {
  /** USER_HZ: the kernel reports clock ticks of 1/100 s on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  public static double seconds(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      throw new UncheckedIOException("no CPU figures for pid " + pid, e);
    }
  }

  /**
   * utime and stime, the 14th and 15th fields; counted after the command's closing parenthesis,
   * since the command itself may hold spaces and parentheses.
   */
  static double parse(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is the 3rd field (state): utime is field 14, so index 11; stime index 12.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / TICKS_PER_SECOND;
  }
}
