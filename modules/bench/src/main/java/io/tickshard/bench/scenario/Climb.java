package io.tickshard.bench.scenario;

import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.RunTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The steps of one capacity climb as they were measured, and what they come to: the most viewers
 * that all kept up with the figures there, the table of the steps, and what bounds the climb.
 */
final class Climb {
  /** The machine, or the tool's viewer threads, count as busy from this share of their cores. */
  static final double BUSY = 0.85;

  /**
   * One step: its figures, its lag (microseconds), why viewers were refused or lost and how many.
   */
  record Step(int viewers, Figures figures, Histogram lag, Map<String, Long> problems) {
    boolean allKeptUp() {
      return figures.get("viewers keeping up") == viewers;
    }
  }

  private final List<Step> steps = new ArrayList<>();
  private final String node;
  private final int maxLagMillis;
  private final int clientThreads;

  /**
   * @param node the node's name, as the CPU figures name it
   * @param maxLagMillis the latest a tick may come to a viewer that keeps up
   * @param clientThreads the tool's viewer threads
   */
  Climb(String node, int maxLagMillis, int clientThreads) {
    this.node = node;
    this.maxLagMillis = maxLagMillis;
    this.clientThreads = clientThreads;
  }

  /** The figure that counts the viewers with a tick later than the bound. */
  static String lateViewers(int maxLagMillis) {
    return "viewers with a tick later than " + maxLagMillis + " ms";
  }

  void add(Step step) {
    steps.add(step);
  }

  /** No step yet, or every viewer of the last one kept up. */
  boolean goesOn() {
    return steps.isEmpty() || last().allKeptUp();
  }

  private Step last() {
    return steps.get(steps.size() - 1);
  }

  /** Each step's lag, by its viewer count, for the plot. */
  Map<String, Histogram> lags() {
    Map<String, Histogram> lags = new LinkedHashMap<>();
    steps.forEach(step -> lags.put(heading(step), step.lag()));
    return lags;
  }

  private static String heading(Step step) {
    return String.format("%,d viewers", step.viewers());
  }

  /** The climb in a few figures, for the table of runs and the goals. */
  Figures summary() {
    Figures summary = new Figures();
    Step best = null;
    for (Step step : steps) {
      if (step.allKeptUp()) {
        best = step;
      }
    }
    summary.put("most viewers all keeping up", best == null ? 0 : best.viewers());
    if (best != null) {
      Figures at = best.figures();
      summary.put("heap per viewer KB there", at.get("heap per viewer KB"));
      summary.put("node CPU ms per 1,000 ticks there", at.get("node CPU ms per 1,000 ticks"));
      summary.put("ticks/s delivered there", at.get("ticks/s delivered"));
      summary.put("cpu % " + node + " there", at.get("cpu % " + node));
      summary.put("cpu % bench there", at.get("cpu % bench"));
    }
    if (!last().allKeptUp()) {
      summary.put("first step not all keeping up", last().viewers());
      summary.put("viewers keeping up there", last().figures().get("viewers keeping up"));
    }
    return summary;
  }

  /** A column per step, then what bounds the climb. */
  String table() {
    return RunTable.columns(
            steps.stream().map(Climb::heading).toList(), steps.stream().map(Step::figures).toList())
        + "\n"
        + bound();
  }

  /**
   * What ended the climb, and whose CPU it was: the tool's viewers run on the cores the node runs
   * on, so on a busy machine the figure is the node's share of it, not the node's own limit.
   */
  String bound() {
    Step last = last();
    Figures at = last.figures();
    String shares =
        String.format(
            "the node took %.0f%% of a core, this tool's viewers %.0f%%, all the processes %.0f%%"
                + " of the machine's %d cores",
            at.get("cpu % " + node),
            at.get("cpu % bench"),
            at.get("cpu % of the machine"),
            Runtime.getRuntime().availableProcessors());
    if (last.allKeptUp()) {
      return String.format(
          "What bounds it: not reached; every viewer kept up at every step, up to %,d (there %s)."
              + " Raise --max-viewers to find the limit.",
          last.viewers(), shares);
    }
    String who =
        String.format(
            "at %,d viewers %,.0f kept up (%,.0f missed ticks, %,.0f had a tick later than %d ms,"
                + " %,.0f were refused, %,.0f lost)",
            last.viewers(),
            at.get("viewers keeping up"),
            at.get("viewers that missed ticks"),
            at.get(lateViewers(maxLagMillis)),
            maxLagMillis,
            at.get("viewers refused"),
            at.get("viewers lost"));
    StringBuilder text =
        new StringBuilder("What bounds it: ")
            .append(who)
            .append("; ")
            .append(shares)
            .append(": ")
            .append(why(at))
            .append('.');
    if (!last.problems().isEmpty()) {
      text.append(" Refused or lost: ");
      text.append(
          last.problems().entrySet().stream()
              .limit(5)
              .map(e -> e.getKey() + " (" + e.getValue() + ")")
              .collect(Collectors.joining("; ")));
      text.append('.');
    }
    return text.toString();
  }

  private String why(Figures at) {
    if (at.get("cpu % bench") >= BUSY * 100 * clientThreads) {
      return "this tool's viewer threads were saturated: the limit is the tool's, not the node's"
          + " (try more --client-threads, or a machine of its own for the tool)";
    }
    if (at.get("cpu % of the machine") >= BUSY * 100) {
      return "the machine was busy: the node had what the tool, the simulator and PostgreSQL left"
          + " it of the same cores, so on a machine of its own it would carry more";
    }
    return "the machine was not busy: not the CPU, but the node itself (its log and heap say more)";
  }
}
