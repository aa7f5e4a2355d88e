package io.tickshard.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach the routes (a bad percent-encoding in the path, an
 * oversized header) with a problem, like every other error. Set as {@code
 * pekko.http.server.parsing.error-handler}.
 *
 * <p>The parser's own words are the detail, except for the mistakes clients make most: a stream key
 * put in the path unencoded (its {@code |}), and Rails' {@code instrument_ids[]} in a query with
 * the brackets unencoded. Those say what to encode, and how.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {
  static final String STREAMS = "/api/v1/streams/";
  static final String EXAMPLE = STREAMS + "type%3Aswing%7Cids%3A1%2C2%2C3";

  // pekko-http's summary of a request-target its URI parser refused, e.g. "Illegal
  // request-target: Invalid input '|', expected pchar, '/', '?' or 'EOI' (line 1, column 27)";
  // the error's detail is the target itself, then a line with a caret under the column.
  private static final Pattern INVALID_INPUT =
      Pattern.compile(
          "Illegal request-target: Invalid input '(.)', expected (.*) \\(line 1, column (\\d+)\\)");
  // Longer targets get the general example: the detail is for people, not a copy of the request.
  private static final int MAX_EXAMPLE = 200;

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    return problem(status.intValue(), info.summary(), info.detail()).toResponse();
  }

  static Problem problem(int status, String summary, String detail) {
    Matcher invalid = INVALID_INPUT.matcher(summary);
    if (!invalid.matches()) {
      return Problem.malformedRequest(status, summary);
    }
    char input = invalid.group(1).charAt(0);
    int column = Integer.parseInt(invalid.group(3));
    String target = detail == null ? "" : detail.lines().findFirst().orElse("").trim();
    int query = target.indexOf('?');
    boolean inQuery = query >= 0 ? query < column - 1 : invalid.group(2).startsWith("query-char");
    if (input == '|' && !inQuery) {
      return Problem.malformedRequest(
          status,
          "the path holds an unencoded '|' (column "
              + column
              + "): percent-encode the stream key in it, '|' as %7C (':' as %3A and ',' as %2C,"
              + " or leave those two), e.g. "
              + example(target)
              + " (encodeURIComponent(key) in JavaScript)");
    }
    if (input == '|') {
      return Problem.malformedRequest(
          status,
          "the query holds an unencoded '|' (column " + column + "): percent-encode it as %7C");
    }
    if ((input == '[' || input == ']') && inQuery) {
      return Problem.malformedRequest(
          status,
          "the query holds an unencoded '"
              + input
              + "' (column "
              + column
              + "): percent-encode '[' as %5B and ']' as %5D (instrument_ids%5B%5D=1"
              + "&instrument_ids%5B%5D=2), or send instrument_ids=1,2");
    }
    return Problem.malformedRequest(status, summary);
  }

  /** The stream path that was sent, its key encoded; or a general example. */
  private static String example(String target) {
    if (!target.startsWith(STREAMS) || target.length() > MAX_EXAMPLE) {
      return EXAMPLE;
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    String rest = query < 0 ? "" : target.substring(query);
    String key = path.substring(STREAMS.length());
    if (key.isEmpty()) {
      return EXAMPLE;
    }
    return STREAMS + key.replace("|", "%7C").replace(":", "%3A").replace(",", "%2C") + rest;
  }
}
