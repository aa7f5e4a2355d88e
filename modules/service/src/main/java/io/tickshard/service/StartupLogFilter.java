package io.tickshard.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps a start that fails to one line, {@link Main}'s. While the node starts, Pekko's TCP listener
 * logs a failed bind (HTTP, management, cluster remoting, the simulator) as an error with the whole
 * stack trace; {@link StartupCheck} names the port and the variable instead. After a failed start
 * the teardown (leaving the cluster, stopping the simulator) is told only in warnings and errors.
 * Removed once the node has started: from then on everything logs as configured.
 */
final class StartupLogFilter extends TurboFilter {
  static final String TCP_LISTENER = "org.apache.pekko.io.TcpListener";

  private final LoggerContext context;
  private volatile boolean failed;

  private StartupLogFilter(LoggerContext context) {
    this.context = context;
  }

  /** Into the logging context as it is now (after {@link LogFormat#apply}, which resets it). */
  static StartupLogFilter install() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    StartupLogFilter filter = new StartupLogFilter(context);
    filter.setName("tickshard-startup");
    filter.start();
    context.addTurboFilter(filter);
    return filter;
  }

  /** The node started: logging as configured again. */
  void started() {
    context.getTurboFilterList().remove(this);
    stop();
  }

  /** The start failed: the teardown that follows logs warnings and errors only. */
  void failed() {
    failed = true;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null) {
      return FilterReply.NEUTRAL;
    }
    if (failed && !level.isGreaterOrEqual(Level.WARN)) {
      return FilterReply.DENY;
    }
    if (format != null // null: "is this level enabled?", answered by the configuration
        && TCP_LISTENER.equals(logger.getName())
        && format.startsWith("Bind failed")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
