package io.tickshard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionPlotTest {
  @Test
  void writes_a_png_of_every_series_even_an_empty_one(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Histogram fast = ViewerTally.newHistogram();
    Histogram slow = ViewerTally.newHistogram();
    for (int i = 1; i <= 10_000; i++) {
      fast.recordValue(1_000 + i % 500);
      slow.recordValue(20_000 + i * 3L);
    }
    Map<String, Histogram> series = new LinkedHashMap<>();
    series.put("fast", fast);
    series.put("slow", slow);
    series.put("nothing", ViewerTally.newHistogram());
    Path png = dir.resolve("plot.png");

    DistributionPlot.write(png, "test", series);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(960);
    assertThat(image.getHeight()).isEqualTo(540);
  }
}
