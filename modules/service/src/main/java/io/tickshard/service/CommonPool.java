package io.tickshard.service;

import java.util.concurrent.ForkJoinPool;

/**
 * Keeps the JDK's common pool usable on small machines. With fewer than three processors its
 * parallelism is 1, and then every {@code CompletableFuture} continuation without an executor runs
 * on a brand-new thread. Pekko's Java API hands out futures converted from Scala whose {@code
 * thenApply} and friends always continue that way, so on a two-core box each HTTP request started
 * several threads: in a three-node start storm those threads were most of each node's CPU time.
 */
final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /**
   * Asks for at least two common-pool threads unless the operator chose a number. Works only before
   * anything touches {@link ForkJoinPool}, so it is the first thing {@link Main} does.
   */
  static void ensureParallel() {
    if (System.getProperty(PARALLELISM) == null) {
      int processors = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, String.valueOf(Math.max(2, processors - 1)));
    }
  }

  /** The common pool's parallelism as it turned out (1 means a thread per continuation). */
  static int parallelism() {
    return ForkJoinPool.getCommonPoolParallelism();
  }
}
