package io.tickshard.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A start that cannot succeed, told in one line that names the cause and the setting to change:
 * {@link #beforeStart} checks what can be checked before anything starts (the host, the ports, the
 * database URL's form), and {@link #line} turns whatever failed later into such a line. No line
 * carries a password or a token.
 */
final class StartupCheck {
  /** A start that cannot go on; its message is the line. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String line) {
      super(line, null, false, false);
    }
  }

  /** A port the node listens on, and the setting that moves it. */
  record Listener(String setting, String host, int port) {
    String address() {
      return host + ":" + port;
    }
  }

  /** "[/127.0.0.1:8080] Address already in use", as Pekko's TCP listener words a failed bind. */
  private static final Pattern BIND =
      Pattern.compile(
          "\\[([^\\]\\s]*):(\\d+)\\] (Address already in use|Cannot assign requested address"
              + "|Permission denied)");

  /** A password in a database URL: the parameter, or the user information's. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)password=([^&;]*)|//[^/?#:@]*:([^/?#@]*)@");

  private static final String SIMULATOR_PORT = "tickshard.simulator.port";

  private StartupCheck() {}

  /**
   * Before anything starts: the host resolves, every port the node binds is a port, none twice,
   * each free now (a moment later it may not be: {@link #line} covers that), and an external
   * database's URL is a PostgreSQL JDBC URL.
   */
  static void beforeStart(Config layered, NodeConfig.Plan plan) throws Failure {
    List<Listener> listeners = listeners(layered, plan.simulatorInProcess());
    for (Listener listener : listeners) {
      if (listener.port() < 0 || listener.port() > 65_535) {
        throw new Failure(
            listener.setting() + " must be a port from 1 to 65535, not " + listener.port());
      }
    }
    for (int i = 0; i < listeners.size(); i++) {
      for (int j = i + 1; j < listeners.size(); j++) {
        Listener a = listeners.get(i);
        Listener b = listeners.get(j);
        if (a.port() != 0 && a.port() == b.port() && a.host().equals(b.host())) {
          throw new Failure(
              a.setting()
                  + " and "
                  + b.setting()
                  + " are both "
                  + a.port()
                  + "; set them to different ports");
        }
      }
    }
    Map<String, InetAddress> resolved = new HashMap<>();
    for (Listener listener : listeners) {
      if (listener.host().startsWith("<")) {
        continue; // Pekko's own placeholders (<getHostAddress>): Pekko resolves them
      }
      InetAddress address = resolved.get(listener.host());
      if (address == null) {
        try {
          address = InetAddress.getByName(listener.host());
        } catch (UnknownHostException e) {
          throw new Failure(unknownHost(listener.host()));
        }
        resolved.put(listener.host(), address);
      }
      if (listener.port() == 0) {
        continue; // any free port
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true); // as the node's own listeners: a port in TIME_WAIT is free
        socket.bind(new InetSocketAddress(address, listener.port()), 1);
      } catch (IOException e) {
        throw new Failure(bindFailed(listener, String.valueOf(e.getMessage())));
      }
    }
    if (!plan.embeddedDatabase()) {
      String url = layered.getString("tickshard.db.url").trim();
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new Failure(
            "TICKSHARD_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database),"
                + " not '"
                + masked(url)
                + "'");
      }
    }
  }

  /**
   * What a failed start prints after "tickshard could not start: ": the cause and the setting to
   * change, with every secret of {@code layered} (null when the configuration itself failed to
   * load) and of the environment blanked out.
   */
  static String line(Throwable failure, Config layered) {
    String line = explain(failure, layered);
    for (String secret : secrets(layered)) {
      line = line.replace(secret, "***");
    }
    return line;
  }

  static String explain(Throwable failure, Config layered) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof Failure) {
      return cause.getMessage();
    }
    List<Listener> listeners = layered == null ? List.of() : knownListeners(layered);
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 20; t = t.getCause(), depth++) {
      String message = t.getMessage();
      Matcher bind = message == null ? null : BIND.matcher(message);
      if (bind != null && bind.find()) {
        int port = Integer.parseInt(bind.group(2));
        String host = bind.group(1).substring(bind.group(1).lastIndexOf('/') + 1);
        Listener listener =
            listeners.stream()
                .filter(l -> l.port() == port)
                .findFirst()
                .orElse(new Listener(null, host, port));
        return bindFailed(listener, bind.group(3));
      }
      if (t instanceof UnresolvedAddressException || "Unresolved address".equals(message)) {
        return unknownHost(layered == null ? "?" : layered.getString("tickshard.host"));
      }
      if (t instanceof SQLException sql && layered != null) {
        Optional<String> database = database(sql, layered);
        if (database.isPresent()) {
          return database.get();
        }
      }
      if (t instanceof ConfigException config) {
        return config(config);
      }
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  /** The ports the node binds: HTTP, management, remoting, and a fixed simulator port if any. */
  static List<Listener> listeners(Config config, boolean simulator) {
    String host = config.getString("tickshard.host");
    List<Listener> listeners = new ArrayList<>();
    listeners.add(new Listener("TICKSHARD_HTTP_PORT", host, config.getInt("tickshard.http.port")));
    listeners.add(
        new Listener(
            "TICKSHARD_MANAGEMENT_PORT",
            either(config, "pekko.management.http.bind-hostname", "pekko.management.http.hostname"),
            Integer.parseInt(
                either(config, "pekko.management.http.bind-port", "pekko.management.http.port"))));
    listeners.add(
        new Listener(
            "TICKSHARD_CLUSTER_PORT",
            either(
                config,
                "pekko.remote.artery.bind.hostname",
                "pekko.remote.artery.canonical.hostname"),
            Integer.parseInt(
                either(
                    config,
                    "pekko.remote.artery.bind.port",
                    "pekko.remote.artery.canonical.port"))));
    if (simulator && config.getInt(SIMULATOR_PORT) != 0) {
      listeners.add(new Listener(SIMULATOR_PORT, host, config.getInt(SIMULATOR_PORT)));
    }
    return listeners;
  }

  private static List<Listener> knownListeners(Config layered) {
    try {
      return listeners(layered, true);
    } catch (RuntimeException unreadable) {
      return List.of();
    }
  }

  /** The first setting when it is set, else the second (Pekko's bind-* over its canonical ones). */
  private static String either(Config config, String bind, String canonical) {
    String value = config.hasPath(bind) ? config.getString(bind).trim() : "";
    return value.isEmpty() ? config.getString(canonical).trim() : value;
  }

  private static String bindFailed(Listener listener, String reason) {
    String change =
        listener.setting() == null ? "" : "; set " + listener.setting() + " to a free port";
    if (reason.contains("already in use")) {
      return listener.address() + " is in use" + change;
    }
    if (reason.contains("Cannot assign requested address")) {
      return listener.host()
          + " is not an address of this machine; set TICKSHARD_HOST to one of its addresses";
    }
    if (reason.contains("Permission denied")) {
      return listener.address()
          + " needs privileges this process does not have"
          + (listener.setting() == null
              ? ""
              : "; set " + listener.setting() + " to a port above 1023");
    }
    return listener.address() + " cannot be bound (" + reason + ")" + change;
  }

  private static String unknownHost(String host) {
    return "TICKSHARD_HOST '"
        + host
        + "' is not a known host name; set TICKSHARD_HOST to an address of this machine"
        + " (127.0.0.1 by default)";
  }

  /** An external database that refused; empty for the embedded one (nothing to set). */
  private static Optional<String> database(SQLException failure, Config layered) {
    String configured = layered.getString("tickshard.db.url").trim();
    if (configured.isEmpty()) {
      return Optional.empty();
    }
    String url = masked(configured);
    String state = failure.getSQLState() == null ? "" : failure.getSQLState();
    // The driver's words may quote the URL as given, password and all.
    String message =
        failure.getMessage() == null
            ? ""
            : masked(firstLine(failure.getMessage()).replace(configured, url));
    if (message.startsWith("No suitable driver") || message.startsWith("Unable to parse URL")) {
      return Optional.of(
          "TICKSHARD_DB_URL is not a URL the PostgreSQL driver accepts ("
              + url
              + "); set it to jdbc:postgresql://host:port/database");
    }
    if (causedBy(failure, UnknownHostException.class)) {
      return Optional.of(
          "the database host of TICKSHARD_DB_URL ("
              + url
              + ") is unknown; set TICKSHARD_DB_URL to a PostgreSQL this machine can reach");
    }
    if (state.startsWith("28") || state.equals("08004")) {
      return Optional.of(
          "the database at "
              + url
              + " refused user '"
              + layered.getString("tickshard.db.user")
              + "' (wrong user or password, or not allowed from here); set TICKSHARD_DB_USER and"
              + " TICKSHARD_DB_PASSWORD");
    }
    if (state.equals("3D000")) {
      return Optional.of(
          "the database of TICKSHARD_DB_URL ("
              + url
              + ") does not exist; create it, or set TICKSHARD_DB_URL to one that does");
    }
    if (state.startsWith("08")
        || causedBy(failure, ConnectException.class)
        || causedBy(failure, SocketTimeoutException.class)) {
      String why =
          causedBy(failure, ConnectException.class)
              ? "connection refused"
              : causedBy(failure, SocketTimeoutException.class) ? "timed out" : message;
      return Optional.of(
          "the database at "
              + url
              + " cannot be reached ("
              + why
              + "); set TICKSHARD_DB_URL to a PostgreSQL that accepts connections");
    }
    return Optional.of(
        "the journal tables could not be created in "
            + url
            + " ("
            + message
            + "); check TICKSHARD_DB_URL, and what TICKSHARD_DB_USER may do there");
  }

  /** The configuration's complaint without its origin, naming the variable behind the setting. */
  private static String config(ConfigException failure) {
    String message = String.valueOf(failure.getMessage());
    if (failure.origin() != null) {
      String prefix = failure.origin().description() + ": ";
      if (message.startsWith(prefix)) {
        message = message.substring(prefix.length());
      }
    }
    String said = message;
    return Usage.VARIABLES.stream()
        .filter(v -> v.path() != null && mentions(said, v.path()))
        .max(Comparator.comparingInt(v -> v.path().length()))
        .map(v -> said + "; check " + v.name())
        .orElse(said);
  }

  private static boolean mentions(String message, String path) {
    return Pattern.compile("(^|[^\\w.-])" + Pattern.quote(path) + "($|[^\\w.-])")
        .matcher(message)
        .find();
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).trim();
  }

  /** A database URL fit to print: no password parameter, no user:password@. */
  static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/?#]*@", "//***@");
  }

  /** The passwords and tokens a line must never carry: the environment's and the settings'. */
  private static List<String> secrets(Config layered) {
    List<String> secrets = new ArrayList<>();
    for (String variable :
        List.of("TICKSHARD_DB_PASSWORD", "TICKSHARD_API_TOKEN", "DHANHQ_ACCESS_TOKEN")) {
      secrets.add(System.getenv(variable));
    }
    List<String> urls = new ArrayList<>();
    urls.add(System.getenv("TICKSHARD_DB_URL"));
    if (layered != null) {
      for (String path :
          List.of(
              "tickshard.db.password", "tickshard.api.token", "tickshard.broker.access-token")) {
        try {
          secrets.add(layered.getString(path));
        } catch (ConfigException unreadable) {
          // not set, or not a string: not in any line either
        }
      }
      try {
        urls.add(layered.getString("tickshard.db.url"));
      } catch (ConfigException unreadable) {
        // as above
      }
    }
    // A password may be in the database URL too: ?password=..., or user:password@.
    for (String url : urls) {
      Matcher password = URL_PASSWORD.matcher(url == null ? "" : url);
      while (password.find()) {
        secrets.add(password.group(1) != null ? password.group(1) : password.group(2));
      }
    }
    secrets.removeIf(secret -> secret == null || secret.isBlank());
    // The longest first: a secret that contains another is blanked whole.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return secrets;
  }
}
