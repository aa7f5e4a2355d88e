package io.tickshard.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    return read("/proc/cpuinfo")
        .flatMap(
            text ->
                text.lines()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()))
        .orElse("unknown CPU");
  }

  private static String memory() {
    return read("/proc/meminfo")
        .flatMap(
            text ->
                text.lines()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .findFirst()
                    .map(
                        l ->
                            Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)
                                + " GiB"))
        .orElse("? GiB");
  }

  private static java.util.Optional<String> read(String file) {
    try {
      return java.util.Optional.of(Files.readString(Path.of(file)));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
