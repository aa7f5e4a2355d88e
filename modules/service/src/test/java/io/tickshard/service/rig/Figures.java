package io.tickshard.service.rig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures a proof measures rather than asserts (docs/benchmarks.md reports them): printed as {@code
 * LABEL: name value} as they come, and appended to a file under the run's directory, one block per
 * scenario, headed by when it ended.
 */
public final class Figures {
  private final Path file;
  private final String label;
  private final Map<String, String> figures = new LinkedHashMap<>();

  public Figures(Path file, String label) {
    this.file = file;
    this.label = label;
  }

  public synchronized void put(String name, String value) {
    figures.put(name, value);
    System.out.println(label + ": " + name + " " + value);
  }

  public synchronized void write() throws IOException {
    if (figures.isEmpty()) {
      return;
    }
    Files.writeString(
        file,
        "# "
            + label
            + " "
            + Instant.now()
            + "\n"
            + figures.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n"))
            + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
