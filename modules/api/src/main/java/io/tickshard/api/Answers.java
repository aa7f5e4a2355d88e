package io.tickshard.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an answer still on its way into a route, and any failure into a problem. */
final class Answers {
  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  private Answers() {}

  static Route complete(CompletionStage<HttpResponse> answer) {
    return Directives.completeWithFuture(answer.exceptionally(Answers::toResponse));
  }

  static HttpResponse toResponse(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof Problem problem) {
      return problem.toResponse();
    }
    log.error("unexpected failure answering a request", cause);
    return Problem.internal().toResponse();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
