package io.tickshard.service;

import io.tickshard.streams.journal.JournalSchema;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs only the embedded PostgreSQL, as a process of its own, for a local cluster whose nodes share
 * one journal ({@code bin/cluster up}): {@code java -cp tickshard.jar
 * io.tickshard.service.DatabaseMain <data-dir> <port>}.
 */
public final class DatabaseMain {
  private DatabaseMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: DatabaseMain <data-dir> <port>");
      System.exit(2);
    }
    EmbeddedJournal journal = EmbeddedJournal.start(Path.of(args[0]), Integer.parseInt(args[1]));
    JournalSchema.ensure(journal.jdbcUrl(), journal.user(), journal.password());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  journal.close();
                  stopped.countDown();
                },
                "database-stop"));
    System.out.println(
        "database: " + journal.jdbcUrl() + " (data in " + journal.dataDirectory() + ")");
    stopped.await();
  }
}
