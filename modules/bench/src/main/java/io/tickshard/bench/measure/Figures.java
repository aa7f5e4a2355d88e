package io.tickshard.bench.measure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The named figures of one run, in the order the table shows them. */
public final class Figures {
  private final Map<String, Double> values = new LinkedHashMap<>();

  public Figures put(String name, double value) {
    values.put(name, value);
    return this;
  }

  public double get(String name) {
    Double value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no figure " + name + " in " + values.keySet());
    }
    return value;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
