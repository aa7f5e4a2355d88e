package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.BindException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * While a node starts, Pekko's stack trace of a failed bind is not logged (the start's one line
 * says it); after a failed start only warnings and errors are; once started, everything again.
 */
class StartupLogFilterTest {
  @Test
  void quiets_a_failed_bind_while_starting_and_the_teardown_of_a_failed_start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger listener = context.getLogger(StartupLogFilter.TCP_LISTENER);
    Logger other = context.getLogger("io.tickshard.service.SomethingElse");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    listener.addAppender(logged);
    other.addAppender(logged);
    StartupLogFilter filter = StartupLogFilter.install();
    try {
      BindException bind = new BindException("[/127.0.0.1:8080] Address already in use");
      listener.error("Bind failed for TCP channel on endpoint [/127.0.0.1:8080]", bind);
      other.info("feed simulator listening");
      assertThat(logged.list)
          .extracting(ILoggingEvent::getMessage)
          .containsExactly("feed simulator listening");

      filter.failed();
      other.info("Exiting completed");
      other.warn("the actor system did not stop within 60 s");
      assertThat(logged.list)
          .extracting(ILoggingEvent::getMessage)
          .containsExactly("feed simulator listening", "the actor system did not stop within 60 s");

      filter.started();
      listener.error("Bind failed for TCP channel on endpoint [/127.0.0.1:8080]", bind);
      assertThat(logged.list).hasSize(3);
      assertThat(context.getTurboFilterList()).doesNotContain(filter);
    } finally {
      context.getTurboFilterList().remove(filter);
      listener.detachAppender(logged);
      other.detachAppender(logged);
    }
  }
}
