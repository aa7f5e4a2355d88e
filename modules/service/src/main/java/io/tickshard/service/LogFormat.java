package io.tickshard.service;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * {@code TICKSHARD_LOG_FORMAT}: {@code text} (the default, logback.xml) or {@code json} (one JSON
 * object per line, logback-json.xml). Applied first thing at start, before anything has logged.
 */
final class LogFormat {
  private LogFormat() {}

  /**
   * @throws IllegalArgumentException for another value
   */
  static void apply(String format) {
    if (format == null || format.isBlank() || format.equals("text")) {
      return;
    }
    if (!format.equals("json")) {
      throw new IllegalArgumentException(
          "TICKSHARD_LOG_FORMAT must be text or json, not '" + format + "'");
    }
    URL json = LogFormat.class.getClassLoader().getResource("logback-json.xml");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(json);
    } catch (JoranException e) {
      throw new IllegalStateException("logback-json.xml: " + e.getMessage(), e);
    }
  }
}
