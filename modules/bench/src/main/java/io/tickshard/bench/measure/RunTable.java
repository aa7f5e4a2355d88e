package io.tickshard.bench.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The runs of a scenario as a Markdown table, a row per figure, a column per run, then the median
 * and the max over the runs; and each goal, met or not, per run and on the medians. The steps of a
 * climb in the same form, a column per step.
 */
public final class RunTable {
  private RunTable() {}

  public static String markdown(List<Figures> runs, List<Goal> goals) {
    List<String> headings = new ArrayList<>();
    for (int i = 1; i <= runs.size(); i++) {
      headings.add("run " + i);
    }
    StringBuilder out = table(headings, runs, true);
    Figures medians = medians(runs);
    for (Goal goal : goals) {
      long met = runs.stream().filter(run -> holds(goal, run)).count();
      out.append("\ngoal: ")
          .append(goal.text())
          .append(": met in ")
          .append(met)
          .append(" of ")
          .append(runs.size())
          .append(" runs; on the medians: ")
          .append(holds(goal, medians) ? "met" : "NOT met");
    }
    return out.append('\n').toString();
  }

  /**
   * Columns that are not repeats of one measurement (the steps of a climb), under their own
   * headings: no median or max across them.
   */
  public static String columns(List<String> headings, List<Figures> columns) {
    if (headings.size() != columns.size()) {
      throw new IllegalArgumentException("a heading per column");
    }
    return table(headings, columns, false).toString();
  }

  private static StringBuilder table(
      List<String> headings, List<Figures> columns, boolean medianAndMax) {
    Set<String> names = new LinkedHashSet<>();
    columns.forEach(column -> names.addAll(column.names()));
    StringBuilder out = new StringBuilder("| figure |");
    for (String heading : headings) {
      out.append(' ').append(heading).append(" |");
    }
    if (medianAndMax) {
      out.append(" median | max |");
    }
    out.append("\n|---|");
    out.append("---:|".repeat(columns.size() + (medianAndMax ? 2 : 0))).append('\n');
    for (String name : names) {
      out.append("| ").append(name).append(" |");
      List<Double> values = new ArrayList<>();
      for (Figures column : columns) {
        if (column.has(name)) {
          values.add(column.get(name));
          out.append(' ').append(format(column.get(name))).append(" |");
        } else {
          out.append(" – |");
        }
      }
      if (medianAndMax) {
        out.append(' ').append(format(median(values))).append(" | ");
        out.append(
            format(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        out.append(" |");
      }
      out.append('\n');
    }
    return out;
  }

  private static boolean holds(Goal goal, Figures figures) {
    try {
      return goal.met().test(figures);
    } catch (IllegalArgumentException missing) {
      return false;
    }
  }

  /** Each figure's median over the runs that have it. */
  public static Figures medians(List<Figures> runs) {
    Figures medians = new Figures();
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(run -> names.addAll(run.names()));
    for (String name : names) {
      List<Double> values =
          runs.stream().filter(run -> run.has(name)).map(run -> run.get(name)).toList();
      medians.put(name, median(values));
    }
    return medians;
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    if (Math.abs(value) >= 1_000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (Math.abs(value) >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
