package io.tickshard.api;

import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP route of a node, behind one error policy: whatever goes wrong is answered as {@code
 * application/problem+json} with the right status, and never with a stack trace.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final StreamControl control;

  public ApiRoutes(StreamControl control) {
    this.control = control;
  }

  public Route routes() {
    BearerToken token = new BearerToken(control.settings().apiToken());
    TickEvents ticks = new TickEvents(control);
    Route all =
        concat(
            new StreamRoutes(control, token, ticks).routes(),
            new ClusterRoutes(control).routes(),
            new ScreenerRoutes(control, token).routes(),
            ui());
    return handleExceptions(
        exceptions(),
        () ->
            handleRejections(
                rejections(), () -> withSizeLimit(control.settings().maxBodyBytes(), () -> all)));
  }

  /** The screener pages: plain files, no build step. */
  private Route ui() {
    return get(
        () ->
            concat(
                pathSingleSlash(() -> getFromResource("ui/index.html")),
                pathPrefix("ui", () -> getFromResourceDirectory("ui"))));
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(
            failure -> {
              Throwable cause = Answers.unwrap(failure);
              if (cause instanceof Problem problem) {
                return complete(problem.toResponse());
              }
              if (cause instanceof EntityStreamSizeException) {
                return complete(
                    Problem.payloadTooLarge(
                            "the body is larger than "
                                + control.settings().maxBodyBytes()
                                + " bytes")
                        .toResponse());
              }
              log.error("unexpected failure answering a request", cause);
              return complete(Problem.internal().toResponse());
            })
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejected ->
                complete(
                    Problem.methodNotAllowed(
                            "allowed: "
                                + String.join(
                                    ", ",
                                    rejected.stream().map(r -> r.supported().name()).toList()))
                        .toResponse()))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            rejected ->
                complete(
                    Problem.unsupportedMediaType("supported: " + rejected.getSupported())
                        .toResponse()))
        .handleNotFound(complete(Problem.notFound("no such resource").toResponse()))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(ApiRoutes::asProblem);
  }

  /** Pekko's own rejection answers are text: give them the problem shape, keeping the status. */
  private static HttpResponse asProblem(HttpResponse response) {
    if (response.entity().getContentType().equals(Problem.CONTENT_TYPE)) {
      return response;
    }
    String detail =
        response.entity() instanceof HttpEntity.Strict strict
                && strict.getContentType().mediaType().equals(MediaTypes.TEXT_PLAIN)
            ? strict.getData().utf8String()
            : response.status().reason();
    return new Problem("bad-request", response.status().reason(), response.status().intValue(), detail)
        .toResponse();
  }
}
