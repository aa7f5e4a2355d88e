package io.tickshard.simulator;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.MarketPacket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one connection subscribed, in which mode, and the broker's limits on it (per message, per
 * connection). The instruments' walks are the {@link Market}'s, shared with other connections; the
 * load tool's stamps count this connection's packets. Plain state of one session.
 */
final class SessionSubscriptions {

  sealed interface Outcome {}

  /** Subscribed: the previous close of each instrument, sent at once as the broker does. */
  record Subscribed(List<MarketPacket> previousCloses) implements Outcome {}

  /** Over a limit ({@code what}): the broker disconnects with 804; nothing changed. */
  record OverLimit(String what) implements Outcome {}

  private final SimulatorConfig config;
  private final Market market;
  private final Map<Instrument, FeedMode> modes = new LinkedHashMap<>();

  /** The market's walks of this connection's instruments, looked up once per subscribe. */
  private final Map<Instrument, MarketWalk> walks = new HashMap<>();

  /** Packets sent per instrument on this connection, when stamping (one counter each). */
  private final Map<Instrument, int[]> stamps = new HashMap<>();

  SessionSubscriptions(SimulatorConfig config, Market market) {
    this.config = config;
    this.market = market;
  }

  Outcome subscribe(FeedRequest request) {
    if (request.instruments().size() > config.maxInstrumentsPerRequest()) {
      return new OverLimit(request.instruments().size() + " instruments in one message");
    }
    long added = request.instruments().stream().filter(i -> !modes.containsKey(i)).count();
    if (modes.size() + added > config.maxInstrumentsPerConnection()) {
      return new OverLimit((modes.size() + added) + " instruments on one connection");
    }
    FeedMode mode = request.code().mode().orElseThrow();
    List<MarketPacket> previousCloses = new ArrayList<>();
    for (Instrument instrument : request.instruments()) {
      modes.put(instrument, mode);
      previousCloses.add(walks.computeIfAbsent(instrument, market::walk).previousClose());
    }
    return new Subscribed(previousCloses);
  }

  void unsubscribe(List<Instrument> instruments) {
    instruments.forEach(modes::remove);
    instruments.forEach(walks::remove);
    instruments.forEach(stamps::remove);
  }

  /** Instrument → mode, in subscription order (what the admin view shows). */
  Map<Instrument, FeedMode> modes() {
    return modes;
  }

  int size() {
    return modes.size();
  }

  /** One tick of every instrument, in its mode, each stamped as {@code now} says. */
  void tick(Instant batch, Consumer<MarketPacket> send) {
    modes.forEach(
        (instrument, mode) -> {
          // Stamped packets carry their own send time, not the batch's: a batch of thousands
          // takes milliseconds to encode, and that is part of what a viewer waits for.
          Instant now = config.stampTicks() ? Instant.now() : batch;
          int stamp =
              config.stampTicks() ? ++stamps.computeIfAbsent(instrument, i -> new int[1])[0] : 0;
          for (MarketPacket packet : walks.get(instrument).next(mode, now, stamp)) {
            send.accept(packet);
          }
        });
  }
}
