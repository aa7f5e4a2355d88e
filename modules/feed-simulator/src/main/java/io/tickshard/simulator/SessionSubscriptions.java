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
 * What one connection subscribed, in which mode, with each instrument's market walk; and the
 * broker's limits on it (per message, per connection). Plain state of one session.
 */
final class SessionSubscriptions {

  sealed interface Outcome {}

  /** Subscribed: the previous close of each instrument, sent at once as the broker does. */
  record Subscribed(List<MarketPacket> previousCloses) implements Outcome {}

  /** Over a limit ({@code what}): the broker disconnects with 804; nothing changed. */
  record OverLimit(String what) implements Outcome {}

  private final SimulatorConfig config;
  private final Map<Instrument, FeedMode> modes = new LinkedHashMap<>();
  private final Map<Instrument, MarketWalk> walks = new HashMap<>();

  SessionSubscriptions(SimulatorConfig config) {
    this.config = config;
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
      previousCloses.add(
          walks
              .computeIfAbsent(
                  instrument, i -> new MarketWalk(i, config.seed(), config.stampTicks()))
              .previousClose());
    }
    return new Subscribed(previousCloses);
  }

  void unsubscribe(List<Instrument> instruments) {
    instruments.forEach(modes::remove);
    instruments.forEach(walks::remove);
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
          for (MarketPacket packet : walks.get(instrument).next(mode, now)) {
            send.accept(packet);
          }
        });
  }
}
