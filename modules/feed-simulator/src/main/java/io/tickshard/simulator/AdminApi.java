package io.tickshard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.feed.DisconnectReason;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's admin calls, on the feed's own port. Fault calls take their arguments as query
 * parameters and act on {@code connection=<id>}, or on every open connection when it is left out.
 * Credential calls take a token but never answer with one (nor log one): they answer counts only.
 *
 * <pre>
 * GET  /admin/connections
 * GET  /admin/stats
 * GET  /admin/timeline
 * POST /admin/faults/drop[?connection=ID]
 * POST /admin/faults/stall[?connection=ID]      POST /admin/faults/resume[?connection=ID]
 * POST /admin/faults/garbage[?connection=ID]
 * POST /admin/faults/disconnect?reason=805[&amp;connection=ID]
 * POST /admin/faults/refuse-auth?style=disconnect_packet|reset|http_429|http_503[&amp;reason=808][&amp;count=N]
 * POST /admin/faults/clear
 * POST /admin/credentials?clientId=ID&amp;token=TOKEN     add a valid token: {"clientId": ID, "tokens": N}
 * POST /admin/credentials/expire?token=TOKEN          expire it now: {"affected": N}
 * </pre>
 */
final class AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SimulatorState state;

  AdminApi(SimulatorState state) {
    this.state = state;
  }

  record Answer(int status, String reason, String json) {}

  Answer handle(HttpHead head) {
    try {
      return route(head);
    } catch (IllegalArgumentException e) {
      return error(400, "Bad Request", e.getMessage());
    }
  }

  private Answer route(HttpHead head) {
    String path = head.path();
    Map<String, String> query = head.query();
    if (path.equals("/admin/connections")
        || path.equals("/admin/stats")
        || path.equals("/admin/timeline")) {
      if (!head.method().equals("GET")) {
        return error(405, "Method Not Allowed", "use GET");
      }
      return ok(
          switch (path) {
            case "/admin/stats" -> state.stats();
            case "/admin/timeline" -> state.timeline();
            default -> state.connections();
          });
    }
    if (path.equals("/admin/credentials") || path.equals("/admin/credentials/expire")) {
      if (!head.method().equals("POST")) {
        return error(405, "Method Not Allowed", "credential calls are POST");
      }
      return path.endsWith("/expire")
          ? affected(state.expireToken(query.get("token")))
          : ok(
              new Added(
                  query.get("clientId"),
                  state.addCredential(query.get("clientId"), query.get("token"))));
    }
    if (!path.startsWith("/admin/faults/")) {
      return error(404, "Not Found", "no admin call at " + path);
    }
    if (!head.method().equals("POST")) {
      return error(405, "Method Not Allowed", "fault calls are POST");
    }
    Optional<Long> connection = Optional.ofNullable(query.get("connection")).map(AdminApi::number);
    return switch (path.substring("/admin/faults/".length())) {
      case "drop" -> affected(state.drop(connection));
      case "stall" -> affected(state.stall(connection, true));
      case "resume" -> affected(state.stall(connection, false));
      case "garbage" -> affected(state.sendGarbage(connection));
      case "disconnect" -> affected(state.disconnect(connection, reason(query, null)));
      case "refuse-auth" -> {
        AuthRefusal refusal = refusal(query);
        state.refuseAuth(refusal);
        yield ok(refusal);
      }
      case "clear" -> affected(state.clearFaults());
      default -> error(404, "Not Found", "no fault called " + path);
    };
  }

  /** What adding a token answers: its client id and token count, never the token. */
  record Added(String clientId, int tokens) {}

  private static AuthRefusal refusal(Map<String, String> query) {
    String style = query.getOrDefault("style", "disconnect_packet").toUpperCase(Locale.ROOT);
    AuthRefusal.Style parsed;
    try {
      parsed = AuthRefusal.Style.valueOf(style);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "style must be disconnect_packet, reset, http_429 or http_503, not "
              + style.toLowerCase(Locale.ROOT));
    }
    int count = query.containsKey("count") ? (int) number(query.get("count")) : -1;
    return new AuthRefusal(
        parsed, reason(query, DisconnectReason.AUTHENTICATION_FAILED.code()), count);
  }

  private static int reason(Map<String, String> query, Integer fallback) {
    String text = query.get("reason");
    if (text == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("reason is required, e.g. reason=805");
      }
      return fallback;
    }
    long reason = number(text);
    if (reason > 0xFFFF) {
      throw new IllegalArgumentException("reason must fit in 16 bits");
    }
    return (int) reason;
  }

  private static long number(String text) {
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a non-negative number");
    }
  }

  private static Answer affected(int count) {
    return ok(Map.of("affected", count));
  }

  private static Answer ok(Object body) {
    return new Answer(200, "OK", write(body));
  }

  private static Answer error(int status, String reason, String detail) {
    return new Answer(status, reason, write(Map.of("error", detail)));
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("admin answers are plain records", e);
    }
  }
}
