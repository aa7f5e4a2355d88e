package io.tickshard.streams.market;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The NSE equity session: Monday to Friday, 09:15 to 15:30 Asia/Kolkata, except exchange holidays.
 */
public final class NseMarketHours implements MarketHours {
  public static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");
  public static final LocalTime OPEN = LocalTime.of(9, 15);
  public static final LocalTime CLOSE = LocalTime.of(15, 30);

  private final Set<LocalDate> holidays;

  public NseMarketHours(Set<LocalDate> holidays) {
    this.holidays = Set.copyOf(holidays);
  }

  /**
   * Reads a holidays file: one ISO date per line; blank lines and text after {@code #} are ignored.
   *
   * @throws IllegalArgumentException naming the line that is not a date
   */
  public static NseMarketHours fromFile(Path file) {
    Set<LocalDate> holidays = new TreeSet<>();
    try {
      int number = 0;
      for (String line : Files.readAllLines(file)) {
        number++;
        String text = line.replaceFirst("#.*", "").trim();
        if (text.isEmpty()) {
          continue;
        }
        try {
          holidays.add(LocalDate.parse(text.split("\\s+")[0]));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              file + " line " + number + ": '" + text + "' is not a date (YYYY-MM-DD)");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read market holidays file " + file, e);
    }
    return new NseMarketHours(holidays);
  }

  private boolean isTradingDay(LocalDate date) {
    DayOfWeek day = date.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY && !holidays.contains(date);
  }

  @Override
  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(ZONE);
    LocalTime time = local.toLocalTime();
    return isTradingDay(local.toLocalDate()) && !time.isBefore(OPEN) && time.isBefore(CLOSE);
  }

  @Override
  public Optional<Instant> nextOpen(Instant at) {
    return nextOnTradingDay(at, OPEN);
  }

  @Override
  public Optional<Instant> nextClose(Instant at) {
    return nextOnTradingDay(at, CLOSE);
  }

  /** The first {@code time} of a trading day strictly after {@code at}, within a year. */
  private Optional<Instant> nextOnTradingDay(Instant at, LocalTime time) {
    LocalDate date = at.atZone(ZONE).toLocalDate();
    for (int days = 0; days < 370; days++) {
      LocalDate candidate = date.plusDays(days);
      Instant moment = candidate.atTime(time).atZone(ZONE).toInstant();
      if (isTradingDay(candidate) && moment.isAfter(at)) {
        return Optional.of(moment);
      }
    }
    return Optional.empty();
  }

  @Override
  public String name() {
    return "nse";
  }
}
