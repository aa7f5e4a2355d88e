package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * conf/logback.xml, as the node runs it: the human line by default, one JSON object per line with
 * {@code TICKSHARD_LOG_FORMAT=json} (logback-json.xml), the stream key and node as fields. Each
 * case configures a logging context of its own, so the test JVM's logging is left alone.
 */
class LogFormatTest {
  private static final Path CONF = Path.of("..", "..", "conf");

  /** What one INFO line with the stream's MDC looks like in {@code format} (null: the default). */
  private static String logged(String format) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    // The MDC that org.slf4j.MDC writes to (the JVM's logging's) is this context's too.
    context.setMDCAdapter(MDC.getMDCAdapter());
    try {
      // The console appender takes System.out as it starts.
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(
          CONF.resolve(format == null ? "logback.xml" : "logback-" + format + ".xml").toFile());
      // Configured without a warning: logback would print its whole status at every start.
      assertThat(context.getStatusManager().getCopyOfStatusList())
          .allSatisfy(status -> assertThat(status.getLevel()).isEqualTo(Status.INFO));
      MDC.put("stream", "type:swing|ids:1333,2885");
      MDC.put("node", "127.0.0.1:25520");
      MDC.put("pekkoSource", "pekko://tickshard/system/sharding/StreamEntity/3/x");
      context
          .getLogger("io.tickshard.streams.entity.StreamEntity")
          .info("stream type:swing|ids:1333,2885 on 127.0.0.1:25520: started");
    } finally {
      MDC.clear();
      context.stop();
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void by_default_one_line_per_event_for_people() throws Exception {
    assertThat(logged(null).strip())
        .matches(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  StreamEntity - stream"
                + " type:swing\\|ids:1333,2885 on 127.0.0.1:25520: started");
  }

  @Test
  void another_format_is_refused_saying_which_there_are() {
    assertThatThrownBy(() -> LogFormat.apply("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TICKSHARD_LOG_FORMAT must be text or json, not 'xml'");
  }

  @Test
  void json_puts_one_object_on_each_line_with_the_stream_key_and_node_as_fields() throws Exception {
    String out = logged("json");
    assertThat(out.strip().lines()).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(out);
    assertThat(line.get("message").asText())
        .isEqualTo("stream type:swing|ids:1333,2885 on 127.0.0.1:25520: started");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger_name").asText())
        .isEqualTo("io.tickshard.streams.entity.StreamEntity");
    assertThat(line.get("stream").asText()).isEqualTo("type:swing|ids:1333,2885");
    assertThat(line.get("node").asText()).isEqualTo("127.0.0.1:25520");
    assertThat(line.has("@timestamp")).isTrue();
    assertThat(line.has("pekkoSource")).isFalse();
  }
}
