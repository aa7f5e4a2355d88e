package io.tickshard.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The bodies the REST calls take: JSON only, since a {@code text/plain} or form body is what a page
 * on another site can send without a preflight. A body that is not JSON is refused with where it
 * goes wrong (line, column, the field it was in), never with the body's text or a Java name.
 */
final class JsonBody {
  private static final int MAX_PATH = 80;
  private static final int MAX_NAME = 32;
  // Jackson's "Unexpected character ('}' (code 125)): expected a value"; the tail is kept only
  // when it is plain words (no feature names, no quoted source).
  private static final Pattern UNEXPECTED =
      Pattern.compile(
          "Unexpected (?:character|close marker) \\('?(.)'? \\(code (\\d+)\\)\\)|"
              + "Unexpected close marker '(.)'");
  private static final Pattern PLAIN_TAIL = Pattern.compile("[a-z][A-Za-z ,'\"\\[\\]{}:-]{0,79}");

  private JsonBody() {}

  /** The request body as text, when it is JSON; a problem when it is missing or not JSON. */
  static Route required(Function<String, Route> inner) {
    return Directives.extractRequestEntity(
        entity -> {
          if (entity.isKnownEmpty()) {
            throw Problem.badRequest("a JSON body is required");
          }
          if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw Problem.unsupportedMediaType(
                "send the body as application/json, not " + entity.getContentType().mediaType());
          }
          return Directives.entity(
              Unmarshaller.entityToString(),
              body -> {
                // Every JSON body is refused the same way, with where it goes wrong, whoever
                // reads it next.
                tree(body);
                return inner.apply(body);
              });
        });
  }

  /** No body, or one declared as JSON (and ignored). */
  static Route noneOrJson(Supplier<Route> inner) {
    return Directives.extractRequestEntity(
        entity -> {
          if (!entity.isKnownEmpty()
              && !entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw Problem.unsupportedMediaType(
                "send no body, or an application/json one, not "
                    + entity.getContentType().mediaType());
          }
          return inner.get();
        });
  }

  /** A body that must be one JSON object; a 400 problem saying where it is not. */
  static JsonNode object(String body) {
    JsonNode root = tree(body);
    if (root == null || !root.isObject()) {
      throw Problem.badRequest(
          "the body must be a JSON object, not " + (root == null ? "nothing" : kind(root)));
    }
    return root;
  }

  /** One JSON value and nothing after it but white space; a 400 problem saying where not. */
  static JsonNode tree(String body) {
    try (JsonParser parser = ApiJson.MAPPER.createParser(body)) {
      try {
        JsonNode root = ApiJson.MAPPER.readTree(parser);
        JsonLocation end = parser.currentLocation();
        if (root != null && more(parser)) {
          throw notJson(parser, end, "more follows the JSON value that ends here", false);
        }
        return root;
      } catch (StreamConstraintsException e) {
        throw notJson(
            parser,
            parser.currentLocation(),
            "it is nested too deeply or holds too long a number or name",
            false);
      } catch (JsonEOFException e) {
        throw notJson(parser, e.getLocation(), "it ends before the JSON is complete", true);
      } catch (JsonProcessingException e) {
        throw notJson(parser, e.getLocation(), reason(e.getOriginalMessage()), true);
      }
    } catch (IOException e) {
      // Only closing a parser over a string can get here.
      throw Problem.badRequest("the body is not valid JSON");
    }
  }

  /** Whether anything but white space follows the value just read. */
  private static boolean more(JsonParser parser) throws IOException {
    try {
      return parser.nextToken() != null;
    } catch (JsonProcessingException e) {
      return true;
    }
  }

  /** What a node is, as a message names it: never its text. */
  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case MISSING -> "nothing";
      default -> "another kind of value";
    };
  }

  private static Problem notJson(
      JsonParser parser, JsonLocation location, String reason, boolean withPath) {
    StringBuilder detail = new StringBuilder("the body is not valid JSON");
    if (location != null && location.getLineNr() > 0) {
      detail.append(" at line ").append(location.getLineNr());
      if (location.getColumnNr() > 0) {
        detail.append(", column ").append(location.getColumnNr());
      }
    }
    String path = withPath ? path(parser.getParsingContext()) : "";
    if (!path.isEmpty()) {
      detail.append(", in ").append(path);
    }
    if (reason != null) {
      detail.append(": ").append(reason);
    }
    return Problem.badRequest(detail.toString());
  }

  /**
   * Jackson's reason in its own words where they quote one character at most; a token it quotes (an
   * unquoted word, a pasted token) is not repeated.
   */
  private static String reason(String message) {
    if (message == null) {
      return null;
    }
    Matcher unexpected = UNEXPECTED.matcher(message);
    if (unexpected.lookingAt()) {
      String ch = unexpected.group(1) != null ? unexpected.group(1) : unexpected.group(3);
      int code = unexpected.group(2) != null ? Integer.parseInt(unexpected.group(2)) : ch.charAt(0);
      String what =
          code == '\''
              ? "unexpected \"'\""
              : code > 0x20 && code < 0x7f
                  ? "unexpected '" + (char) code + "'"
                  : "unexpected character (code " + code + ")";
      int colon = message.indexOf(": ", unexpected.end());
      String tail = colon < 0 ? "" : message.substring(colon + 2);
      // A close marker's tail says where its array or object began, in Jackson's own terms.
      int began = tail.indexOf(" (for ");
      if (began >= 0) {
        tail = tail.substring(0, began);
      }
      return PLAIN_TAIL.matcher(tail).matches() ? what + " (" + tail + ")" : what;
    }
    if (message.startsWith("Unrecognized token")) {
      return "a word that is not a JSON value (strings need double quotes)";
    }
    if (message.startsWith("Illegal unquoted character")) {
      return "a control character in a string (escape it, e.g. \\n)";
    }
    if (message.startsWith("Unrecognized character escape")) {
      return "an unknown escape in a string";
    }
    if (message.startsWith("Invalid numeric value") || message.startsWith("Invalid number")) {
      return "a malformed number";
    }
    if (message.startsWith("Unexpected end-of-input")) {
      return "it ends before the JSON is complete";
    }
    return null;
  }

  /** Where the parser was, as {@code instruments[2]} or {@code a.b[0]}; empty at the top. */
  static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inArray()) {
        parts.addFirst("[" + Math.max(at.getCurrentIndex(), 0) + "]");
      } else if (at.inObject() && at.getCurrentName() != null) {
        parts.addFirst(name(at.getCurrentName()));
      }
    }
    StringBuilder path = new StringBuilder();
    for (String part : parts) {
      if (path.length() > 0 && !part.startsWith("[")) {
        path.append('.');
      }
      path.append(part);
    }
    return path.length() <= MAX_PATH ? path.toString() : path.substring(0, MAX_PATH) + "…";
  }

  /** A field name is the caller's text: short, and only as much as helps. */
  static String name(String name) {
    return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME) + "…";
  }
}
