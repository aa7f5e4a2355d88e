package io.tickshard.api;

import io.tickshard.streams.ticks.ViewerEvent;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * A viewer's live events as part of its response's stream: materialized with the response, in its
 * interpreter, so a batch of ticks reaches the connection in one hop from its key's thread. Each
 * element is everything that waited for the viewer ({@link ViewerFeed#drain}) when its connection
 * asked for more. However the response ends, the feed is closed.
 */
final class LiveEvents extends GraphStage<SourceShape<List<ViewerEvent>>> {
  private final Outlet<List<ViewerEvent>> out = Outlet.create("LiveEvents.out");
  private final SourceShape<List<ViewerEvent>> shape = SourceShape.of(out);
  private final ViewerFeed feed;

  LiveEvents(ViewerFeed feed) {
    this.feed = feed;
  }

  @Override
  public SourceShape<List<ViewerEvent>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                deliver();
              }
            });
      }

      @Override
      public void preStart() {
        AsyncCallback<Done> wake =
            createAsyncCallback(
                woken -> {
                  if (isAvailable(out)) {
                    deliver();
                  }
                });
        if (!feed.bind(wake)) {
          completeStage(); // closed before its response started: nothing will come
        }
      }

      private void deliver() {
        List<ViewerEvent> events = feed.drain();
        if (!events.isEmpty()) {
          push(out, events);
        }
      }

      @Override
      public void postStop() {
        feed.close();
      }
    };
  }
}
