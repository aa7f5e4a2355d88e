package io.tickshard.api;

import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Closes a connection whose first request head (request line and headers) is not complete within
 * {@code tickshard.http.header-timeout} of the connection opening, or whose next one is not
 * complete within {@code tickshard.http.keep-alive-timeout} of its previous response having been
 * sent. pekko-http has no such timeout, and its idle-timeout never fires for a client that sends
 * one header byte every few seconds (slowloris). The second is longer than a load balancer's idle
 * timeout, so that the balancer, not the node, closes a kept-alive connection: a node that closes
 * one just as a request is sent on it loses that request (the client sees the connection end).
 *
 * <p>It sits in front of the routes, one per connection: pekko-http materializes the handler flow
 * when it accepts the connection, and hands it a request once the request's head is parsed. While a
 * request is being served, and while a streamed response body (an SSE stream, a file) is still
 * being sent, no timer runs. When it fires the connection is closed without an answer: there is no
 * request to answer, and a client that trickles its head in is not reading anyway.
 */
final class RequestHeadTimeout
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final String TIMER = "request-head";

  private final Duration firstHead;
  private final Duration nextHead;
  private final Inlet<HttpRequest> requestsIn = Inlet.create("RequestHeadTimeout.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("RequestHeadTimeout.requestsOut");
  private final Inlet<HttpResponse> responsesIn = Inlet.create("RequestHeadTimeout.responsesIn");
  private final Outlet<HttpResponse> responsesOut =
      Outlet.create("RequestHeadTimeout.responsesOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      new BidiShape<>(requestsIn, requestsOut, responsesIn, responsesOut);

  private RequestHeadTimeout(Duration firstHead, Duration nextHead) {
    this.firstHead = firstHead;
    this.nextHead = nextHead;
  }

  /** The routes' flow, behind the head timeouts; materialized once per connection. */
  static Flow<HttpRequest, HttpResponse, NotUsed> around(
      Flow<HttpRequest, HttpResponse, ?> routes, Duration firstHead, Duration nextHead) {
    return BidiFlow.fromGraph(new RequestHeadTimeout(firstHead, nextHead)).join(routes);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      /** Requests not answered yet, plus response bodies not sent yet. */
      private int busy;

      private final AsyncCallback<Done> bodySent = createAsyncCallback(done -> settled());

      {
        setHandler(
            requestsIn,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                busy++;
                cancelTimer(TIMER);
                push(requestsOut, grab(requestsIn));
              }

              @Override
              public void onUpstreamFinish() {
                complete(requestsOut);
              }
            });
        setHandler(
            requestsOut,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(requestsIn);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                cancel(requestsIn, cause);
              }
            });
        setHandler(
            responsesIn,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                HttpResponse response = grab(responsesIn);
                if (!response.entity().isStrict()) {
                  busy++;
                  response =
                      response.withEntity(
                          watched(response.entity(), () -> bodySent.invoke(Done.getInstance())));
                }
                push(responsesOut, response);
                settled();
              }

              @Override
              public void onUpstreamFinish() {
                complete(responsesOut);
              }
            });
        setHandler(
            responsesOut,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(responsesIn);
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                cancel(responsesIn, cause);
              }
            });
      }

      @Override
      public void preStart() {
        scheduleOnce(TIMER, firstHead);
      }

      /** A request answered or a body sent: with nothing left in flight, the next head is due. */
      private void settled() {
        busy--;
        if (busy == 0) {
          scheduleOnce(TIMER, nextHead);
        }
      }

      @Override
      public void onTimer(Object key) {
        // Completing both directions closes the connection (pekko-http: no request is open).
        completeStage();
      }
    };
  }

  /** The same entity, telling {@code sent} when its bytes have all been taken (or it was cut). */
  private static ResponseEntity watched(ResponseEntity entity, Runnable sent) {
    Source<ByteString, Object> bytes =
        entity
            .getDataBytes()
            .watchTermination(
                (mat, ended) -> {
                  ended.whenComplete((done, failure) -> sent.run());
                  return mat;
                });
    ContentType type = entity.getContentType();
    if (entity instanceof HttpEntity.Default known) {
      return HttpEntities.create(type, known.getContentLength(), bytes);
    }
    if (entity instanceof HttpEntity.CloseDelimited) {
      return HttpEntities.createCloseDelimited(type, bytes);
    }
    return HttpEntities.createChunked(type, bytes);
  }
}
