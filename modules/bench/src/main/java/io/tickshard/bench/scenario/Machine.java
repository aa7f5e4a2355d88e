package io.tickshard.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The machine a run measured, for the record next to its figures. */
final class Machine {
  private Machine() {}

  static String describe() {
    return "machine: "
        + cpuModel()
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + memory()
        + "; java "
        + System.getProperty("java.runtime.version")
        + "; load at the start: "
        + loadAverage();
  }

  static String loadAverage() {
    return read("/proc/loadavg")
        .map(s -> String.join(" ", List.of(s.split(" ")).subList(0, 3)))
        .orElse("?");
  }

  private static String cpuModel() {
    return field("/proc/cpuinfo", "model name").orElse("unknown CPU");
  }

  private static String memory() {
    return field("/proc/meminfo", "MemTotal")
        .map(kb -> Math.round(Long.parseLong(kb.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB")
        .orElse("? GiB");
  }

  /** The value of the first {@code name: value} line of a /proc file. */
  private static Optional<String> field(String file, String name) {
    return read(file)
        .flatMap(
            text ->
                text.lines()
                    .filter(line -> line.startsWith(name))
                    .findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()));
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
