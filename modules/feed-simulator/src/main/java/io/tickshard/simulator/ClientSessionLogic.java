package io.tickshard.simulator;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.DisconnectReason;
import io.tickshard.feed.FeedEncoder;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FeedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of one {@link ClientSession}: the HTTP head, then an admin answer or the feed session
 * (auth, subscriptions, ticks, pings, limits, faults). What to answer a head is {@link FeedDoor}'s
 * decision, a connection's subscriptions {@link SessionSubscriptions}', reading what the client
 * sent {@link Inbound}'s, what waits to be written {@link Outbox}'s.
 */
final class ClientSessionLogic extends TimerGraphStageLogic {
  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESET_DELAY = Duration.ofMillis(200);

  /** Bytes queued for a client beyond which market ticks are skipped rather than piled up. */
  private static final long BACKLOG_LIMIT = 1024 * 1024;

  private final Inlet<ByteString> in;
  private final Outlet<ByteString> out;
  private final SimulatorConfig config;
  private final SimulatorState state;
  private final FeedDoor door;
  private final String remoteAddress;

  private static final String HEAD_TIMER = "head-timeout";
  private static final String TICK_TIMER = "tick";
  private static final String PING_TIMER = "ping";
  private static final String RESET_TIMER = "reset";
  private static final String EXPIRY_TIMER = "token-expiry";

  private final Inbound inbound = new Inbound();
  private final Outbox outbox = new Outbox();
  private boolean headRead;

  /** A chart API call whose body is still arriving (the head timeout still runs). */
  private HttpHead awaitingBody;

  private boolean feedOpen;
  private boolean finishing;
  private boolean stalled;
  private long lastPongNanos;
  private ConnectionHandle handle;
  private TokenExpiry expiry;
  private final SessionSubscriptions subscriptions;
  private final AsyncCallback<ConnectionCommand> commands = createAsyncCallback(this::onCommand);

  ClientSessionLogic(
      FlowShape<ByteString, ByteString> shape,
      SimulatorConfig config,
      SimulatorState state,
      FeedDoor door,
      String remoteAddress) {
    super(shape);
    this.in = shape.in();
    this.out = shape.out();
    this.config = config;
    this.state = state;
    this.door = door;
    this.remoteAddress = remoteAddress;
    this.subscriptions = new SessionSubscriptions(config, state.market);
    setHandler(
        in,
        new AbstractInHandler() {
          @Override
          public void onPush() {
            inbound.add(grab(in));
            if (!headRead) {
              readHead();
            }
            if (awaitingBody != null) {
              readBody();
            }
            if (feedOpen) {
              readFrames();
            }
            if (!finishing && !isClosed(in) && !hasBeenPulled(in)) {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            completeStage();
          }
        });
    setHandler(
        out,
        new AbstractOutHandler() {
          @Override
          public void onPull() {
            flush();
          }
        });
  }

  @Override
  public void preStart() {
    pull(in);
    scheduleOnce(HEAD_TIMER, HEAD_TIMEOUT);
  }

  @Override
  public void postStop() {
    if (handle != null) {
      state.deregister(handle);
      log.info(
          "feed connection {} closed (client {}, {} instruments)",
          handle.id,
          handle.clientId,
          subscriptions.size());
    }
  }

  private void readHead() {
    FeedDoor.Next next = door.afterHead(inbound.head());
    if (next instanceof FeedDoor.NotYet) {
      return;
    }
    headRead = true;
    if (next instanceof FeedDoor.AwaitBody awaiting) {
      awaitingBody = awaiting.head(); // the head timeout runs on until the body is in
      return;
    }
    cancelTimer(HEAD_TIMER);
    if (next instanceof FeedDoor.Answer answer) {
      answerAndFinish(answer.response());
    } else {
      openFeed(((FeedDoor.Upgrade) next).head());
    }
  }

  private void readBody() {
    door.answerWithBody(awaitingBody, inbound)
        .ifPresent(
            answer -> {
              awaitingBody = null;
              cancelTimer(HEAD_TIMER);
              answerAndFinish(answer);
            });
  }

  private void openFeed(HttpHead head) {
    Instant now = Instant.now();
    FeedDoor.Admission admission = door.admit(head, now);
    if (admission instanceof FeedDoor.HandshakeRefused refused) {
      answerAndFinish(refused.answer());
      return;
    }
    send(HttpHead.switchingProtocols(head.header("sec-websocket-key")));
    if (admission instanceof FeedDoor.ResetAfterUpgrade) {
      finishing = true;
      scheduleOnce(RESET_TIMER, RESET_DELAY);
      return;
    }
    if (admission instanceof FeedDoor.Refused refused) {
      disconnect(refused.reasonCode());
      return;
    }
    String clientId = ((FeedDoor.Admitted) admission).clientId();
    String token = ((FeedDoor.Admitted) admission).token();
    feedOpen = true;
    lastPongNanos = System.nanoTime();
    handle =
        new ConnectionHandle(
            state.nextConnectionId(), clientId, token, now, remoteAddress, commands::invoke);
    state.register(handle, config.maxConnectionsPerClient());
    log.info("feed connection {} opened (client {}, from {})", handle.id, clientId, remoteAddress);
    scheduleAtFixedRate(TICK_TIMER, config.tickInterval(), config.tickInterval());
    scheduleAtFixedRate(PING_TIMER, config.pingInterval(), config.pingInterval());
    SimulatorCredentials.expiryOf(token)
        .ifPresent(
            expiresAt -> {
              expiry = new TokenExpiry(expiresAt);
              onExpiryTimer();
            });
  }

  private void onExpiryTimer() {
    expiry
        .waitFrom(Instant.now())
        .ifPresentOrElse(
            wait -> scheduleOnce(EXPIRY_TIMER, wait), () -> tokenExpired("its exp passed"));
  }

  private void tokenExpired(String why) {
    if (finishing) {
      return;
    }
    state.tokenExpiries.incrementAndGet();
    log.info("connection {} access token expired ({}): 807", handle.id, why);
    disconnect(DisconnectReason.ACCESS_TOKEN_EXPIRED.code());
  }

  private void readFrames() {
    while (!finishing) {
      Optional<Inbound.Read> next = inbound.next();
      if (next.isEmpty()) {
        return;
      }
      Inbound.Read read = next.get();
      if (read instanceof Inbound.Ping ping) {
        sendUnlessStalled(WebSocketFrames.frame(WebSocketFrames.PONG, ping.payload().toArray()));
      } else if (read instanceof Inbound.Pong) {
        lastPongNanos = System.nanoTime();
      } else if (read instanceof Inbound.Closed closed) {
        closeFeed(closed.code(), "closed by client");
      } else if (read instanceof Inbound.Message message) {
        onMessage(message.opcode(), message.payload());
      } else if (read instanceof Inbound.Broken broken) {
        closeFeed(broken.code(), broken.reason());
      }
    }
  }

  private void onMessage(int opcode, ByteString payload) {
    if (opcode == WebSocketFrames.BINARY) {
      // The official client sends a legacy binary header on disconnect: ignore, never fail.
      log.debug(
          "connection {} sent a binary frame of {} bytes; ignored", handle.id, payload.size());
      return;
    }
    FeedRequest request;
    try {
      request = FeedRequest.parse(payload.utf8String());
    } catch (FeedRequest.MalformedRequestException e) {
      state.badRequests.incrementAndGet();
      log.info(
          "connection {} sent a request the broker would ignore: {}", handle.id, e.getMessage());
      return;
    }
    if (request.code().isSubscribe()) {
      subscribe(request);
    } else if (request.code().isUnsubscribe()) {
      state.unsubscribeMessages.incrementAndGet();
      subscriptions.unsubscribe(request.instruments());
      publish();
    } else {
      log.info("connection {} asked to disconnect", handle.id);
      closeFeed(WebSocketFrames.CLOSE_NORMAL, "disconnect requested");
    }
  }

  private void subscribe(FeedRequest request) {
    state.subscribeMessages.incrementAndGet();
    SessionSubscriptions.Outcome outcome = subscriptions.subscribe(request);
    if (outcome instanceof SessionSubscriptions.OverLimit over) {
      state.limitDisconnects.incrementAndGet();
      log.info("connection {} exceeded the instrument limit ({}): 804", handle.id, over.what());
      disconnect(DisconnectReason.INSTRUMENTS_EXCEED_LIMIT.code());
      return;
    }
    ((SessionSubscriptions.Subscribed) outcome).previousCloses().forEach(this::sendPacket);
    publish();
  }

  private void publish() {
    if (handle != null) {
      handle.publish(subscriptions.modes(), stalled);
    }
  }

  @Override
  public void onTimer(Object key) {
    switch ((String) key) {
      case HEAD_TIMER -> completeStage();
      case RESET_TIMER -> failStage(new SimulatedReset("reset after upgrade"));
      case PING_TIMER -> ping();
      case TICK_TIMER -> tick();
      case EXPIRY_TIMER -> onExpiryTimer();
      default -> throw new IllegalStateException("unknown timer " + key);
    }
  }

  private void ping() {
    if (stalled || finishing) {
      return;
    }
    if (System.nanoTime() - lastPongNanos > config.pongTimeout().toNanos()) {
      state.pingTimeouts.incrementAndGet();
      log.info("connection {} answered no ping for {}: closing", handle.id, config.pongTimeout());
      closeFeed(WebSocketFrames.CLOSE_GOING_AWAY, "ping timeout");
      return;
    }
    send(WebSocketFrames.frame(WebSocketFrames.PING, new byte[0]));
  }

  private void tick() {
    if (stalled || finishing || outbox.bytes() > BACKLOG_LIMIT) {
      return;
    }
    subscriptions.tick(Instant.now(), this::sendPacket);
  }

  private void onCommand(ConnectionCommand command) {
    if (command instanceof ConnectionCommand.Drop) {
      log.info("connection {} dropped (fault switch)", handle.id);
      failStage(new SimulatedReset("dropped"));
    } else if (command instanceof ConnectionCommand.Stall stall) {
      stalled = stall.stalled();
      lastPongNanos = System.nanoTime();
      publish();
      log.info("connection {} {}", handle.id, stalled ? "stalled (fault switch)" : "resumed");
    } else if (command instanceof ConnectionCommand.Garbage) {
      sendBinary(ConnectionCommand.Garbage.frame());
    } else if (command instanceof ConnectionCommand.Disconnect disconnect) {
      log.info("connection {} disconnected with reason {}", handle.id, disconnect.reasonCode());
      disconnect(disconnect.reasonCode());
    } else if (command instanceof ConnectionCommand.TokenExpired) {
      tokenExpired("expired by a call");
    } else if (command instanceof ConnectionCommand.Shutdown) {
      closeFeed(WebSocketFrames.CLOSE_GOING_AWAY, "simulator shutting down");
    }
  }

  private void disconnect(int reasonCode) {
    if (finishing) {
      // Already closing (say, evicted and expired at once): nothing may follow the close frame.
      return;
    }
    stalled = false;
    sendPacket(new DisconnectPacket(reasonCode));
    closeFeed(WebSocketFrames.CLOSE_NORMAL, "");
  }

  private void closeFeed(int code, String reason) {
    if (finishing) {
      return;
    }
    stalled = false;
    send(WebSocketFrames.close(code, reason));
    finishing = true;
    cancelTimer(TICK_TIMER);
    cancelTimer(PING_TIMER);
    cancelTimer(EXPIRY_TIMER);
    flush();
  }

  private void answerAndFinish(ByteString response) {
    send(response);
    finishing = true;
    flush();
  }

  private void sendPacket(FeedPacket packet) {
    sendBinary(FeedEncoder.encode(packet));
  }

  private void sendBinary(byte[] payload) {
    if (stalled) {
      return;
    }
    state.framesSent.incrementAndGet();
    send(WebSocketFrames.frame(WebSocketFrames.BINARY, payload));
  }

  private void sendUnlessStalled(ByteString bytes) {
    if (!stalled) {
      send(bytes);
    }
  }

  private void send(ByteString bytes) {
    outbox.add(bytes);
    flush();
  }

  private void flush() {
    if (isAvailable(out) && !outbox.isEmpty()) {
      push(out, outbox.takeAll());
    }
    if (finishing && outbox.isEmpty() && !isTimerActive(RESET_TIMER)) {
      completeStage();
    }
  }
}
