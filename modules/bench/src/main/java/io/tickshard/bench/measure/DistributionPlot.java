package io.tickshard.bench.measure;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG of latency distributions, one line per series, the way HdrHistogram's own plots show them:
 * the percentile on a log axis (50%, 90%, 99%, 99.9%, ...), so that the tail is as wide as the
 * middle, and the latency in milliseconds.
 */
public final class DistributionPlot {
  private static final double MAX_X = 1e6;

  private DistributionPlot() {}

  public static void write(Path png, String title, Map<String, Histogram> series)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(
        (name, histogram) -> {
          XYSeries line = new XYSeries(name, false);
          if (histogram.getTotalCount() > 0) {
            for (HistogramIterationValue value : histogram.percentiles(5)) {
              double fraction = value.getPercentileLevelIteratedTo() / 100.0;
              double x = fraction >= 1 ? MAX_X : Math.min(MAX_X, 1 / (1 - fraction));
              line.add(x, value.getValueIteratedTo() / 1_000.0);
            }
          }
          data.addSeries(line);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "percentile",
            "latency (ms)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    LogAxis percentiles = new LogAxis("percentile");
    percentiles.setBase(10);
    percentiles.setTickUnit(new NumberTickUnit(1));
    percentiles.setNumberFormatOverride(new PercentileFormat());
    percentiles.setRange(1, MAX_X);
    plot.setDomainAxis(percentiles);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 960, 540);
  }

  /** x = 1 / (1 - p) shown as p: 10 is 90%, 1000 is 99.9%. */
  private static final class PercentileFormat extends NumberFormat {
    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition at) {
      if (x >= MAX_X) {
        return to.append("max");
      }
      BigDecimal percent = BigDecimal.valueOf(100 * (1 - 1 / x)).setScale(4, RoundingMode.HALF_UP);
      return to.append(percent.stripTrailingZeros().toPlainString()).append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition at) {
      return format((double) x, to, at);
    }

    @Override
    public Number parse(String source, ParsePosition at) {
      throw new UnsupportedOperationException();
    }
  }
}
