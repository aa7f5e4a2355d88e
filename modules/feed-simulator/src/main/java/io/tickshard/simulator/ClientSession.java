package io.tickshard.simulator;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One TCP connection to the simulator, from the first byte to the last: an HTTP request head, then
 * either an admin or chart API call answered at once or a WebSocket feed session that behaves like
 * the broker (auth, subscriptions, ticks, pings, limits, faults).
 */
final class ClientSession extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final Inlet<ByteString> in = Inlet.create("ClientSession.in");
  private final Outlet<ByteString> out = Outlet.create("ClientSession.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final SimulatorConfig config;
  private final SimulatorState state;
  private final FeedDoor door;
  private final String remoteAddress;

  ClientSession(
      SimulatorConfig config,
      SimulatorState state,
      AdminApi admin,
      IntradayChartApi charts,
      String remoteAddress) {
    this.config = config;
    this.state = state;
    this.door = new FeedDoor(state, admin, charts, remoteAddress);
    this.remoteAddress = remoteAddress;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new ClientSessionLogic(shape, config, state, door, remoteAddress);
  }
}
