package io.tickshard.streams.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NSE equity session: Monday to Friday, 09:15 to 15:30 in Asia/Kolkata, minus exchange
 * holidays. Every instant here is fixed; none depends on the clock.
 */
class NseMarketHoursTest {
  private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

  // January 2025: Friday the 3rd, a weekend, Monday the 6th.
  private static final LocalDate FRIDAY = LocalDate.of(2025, 1, 3);
  private static final LocalDate SATURDAY = LocalDate.of(2025, 1, 4);
  private static final LocalDate SUNDAY = LocalDate.of(2025, 1, 5);
  private static final LocalDate MONDAY = LocalDate.of(2025, 1, 6);

  // NSE holidays 2025: Mon 31 March (Id-ul-Fitr), Mon 14 April (Ambedkar Jayanti),
  // Fri 18 April (Good Friday).
  private static final LocalDate ID_UL_FITR = LocalDate.of(2025, 3, 31);
  private static final LocalDate AMBEDKAR_JAYANTI = LocalDate.of(2025, 4, 14);
  private static final LocalDate GOOD_FRIDAY = LocalDate.of(2025, 4, 18);

  private final NseMarketHours hours =
      new NseMarketHours(Set.of(ID_UL_FITR, AMBEDKAR_JAYANTI, GOOD_FRIDAY));

  private static Instant ist(LocalDate date, int hour, int minute, int second) {
    return ZonedDateTime.of(
            date.getYear(),
            date.getMonthValue(),
            date.getDayOfMonth(),
            hour,
            minute,
            second,
            0,
            IST)
        .toInstant();
  }

  private static Instant ist(LocalDate date, int hour, int minute) {
    return ist(date, hour, minute, 0);
  }

  @Test
  void is_named_nse_and_uses_the_kolkata_zone() {
    assertThat(hours.name()).isEqualTo("nse");
    assertThat(NseMarketHours.ZONE).isEqualTo(IST);
  }

  @Nested
  class IsOpen {

    @Test
    void opens_at_09_15_sharp() {
      assertThat(hours.isOpen(ist(FRIDAY, 9, 14, 59))).isFalse();
      assertThat(hours.isOpen(ist(FRIDAY, 9, 15, 0))).isTrue();
    }

    @Test
    void closes_at_15_30_sharp() {
      assertThat(hours.isOpen(ist(FRIDAY, 15, 29, 59))).isTrue();
      assertThat(hours.isOpen(ist(FRIDAY, 15, 30, 0))).isFalse();
    }

    @Test
    void the_boundaries_are_exact_to_the_nanosecond() {
      Instant open = ist(FRIDAY, 9, 15);
      Instant close = ist(FRIDAY, 15, 30);

      assertThat(hours.isOpen(open.minusNanos(1))).isFalse();
      assertThat(hours.isOpen(close.minusNanos(1))).isTrue();
    }

    @Test
    void is_open_at_midday_on_every_weekday() {
      for (int day = 0; day < 5; day++) {
        assertThat(hours.isOpen(ist(MONDAY.plusDays(day), 12, 0)))
            .as("%s", MONDAY.plusDays(day).getDayOfWeek())
            .isTrue();
      }
    }

    @Test
    void is_closed_at_night_and_early_morning() {
      assertThat(hours.isOpen(ist(FRIDAY, 0, 0))).isFalse();
      assertThat(hours.isOpen(ist(FRIDAY, 8, 0))).isFalse();
      assertThat(hours.isOpen(ist(FRIDAY, 20, 0))).isFalse();
    }

    @Test
    void is_closed_all_weekend() {
      assertThat(hours.isOpen(ist(SATURDAY, 12, 0))).isFalse();
      assertThat(hours.isOpen(ist(SUNDAY, 9, 15))).isFalse();
      assertThat(hours.isOpen(ist(SUNDAY, 12, 0))).isFalse();
    }

    @Test
    void is_closed_on_a_listed_holiday_but_open_on_the_days_around_it() {
      assertThat(hours.isOpen(ist(GOOD_FRIDAY, 12, 0))).isFalse();
      assertThat(hours.isOpen(ist(GOOD_FRIDAY.minusDays(1), 12, 0))).isTrue();
      assertThat(hours.isOpen(ist(LocalDate.of(2025, 4, 21), 12, 0))).isTrue();
    }

    @Test
    void without_holidays_every_weekday_is_a_trading_day() {
      NseMarketHours noHolidays = new NseMarketHours(Set.of());

      assertThat(noHolidays.isOpen(ist(GOOD_FRIDAY, 12, 0))).isTrue();
    }

    @Test
    void judges_the_time_in_kolkata_whatever_zone_the_instant_came_from() {
      // 04:00 UTC is 09:30 IST; 09:59 UTC is 15:29 IST; 10:00 UTC is 15:30 IST.
      assertThat(hours.isOpen(Instant.parse("2025-01-03T04:00:00Z"))).isTrue();
      assertThat(hours.isOpen(Instant.parse("2025-01-03T09:59:59Z"))).isTrue();
      assertThat(hours.isOpen(Instant.parse("2025-01-03T10:00:00Z"))).isFalse();
      // 03:44:59 UTC is 09:14:59 IST.
      assertThat(hours.isOpen(Instant.parse("2025-01-03T03:44:59Z"))).isFalse();
    }

    @Test
    void the_ist_date_decides_the_weekday_not_the_utc_date() {
      // Friday 19:00 UTC is already Saturday 00:30 IST, so the next open is Monday, not Friday.
      assertThat(hours.nextOpen(Instant.parse("2025-01-03T19:00:00Z")))
          .contains(ist(MONDAY, 9, 15));
      // Monday 03:45 UTC is Monday 09:15 IST: open.
      assertThat(hours.isOpen(Instant.parse("2025-01-06T03:45:00Z"))).isTrue();
    }
  }

  @Nested
  class NextOpen {

    @Test
    void from_friday_evening_is_monday_09_15() {
      assertThat(hours.nextOpen(ist(FRIDAY, 18, 0))).contains(ist(MONDAY, 9, 15));
    }

    @Test
    void from_the_weekend_is_monday_09_15() {
      assertThat(hours.nextOpen(ist(SATURDAY, 10, 0))).contains(ist(MONDAY, 9, 15));
      assertThat(hours.nextOpen(ist(SUNDAY, 23, 59))).contains(ist(MONDAY, 9, 15));
    }

    @Test
    void from_early_morning_is_the_same_day() {
      assertThat(hours.nextOpen(ist(MONDAY, 7, 0))).contains(ist(MONDAY, 9, 15));
    }

    @Test
    void during_a_session_is_the_next_trading_day() {
      assertThat(hours.nextOpen(ist(MONDAY, 11, 0))).contains(ist(MONDAY.plusDays(1), 9, 15));
    }

    @Test
    void is_strictly_after_the_given_instant() {
      assertThat(hours.nextOpen(ist(MONDAY, 9, 15))).contains(ist(MONDAY.plusDays(1), 9, 15));
    }

    @Test
    void skips_a_holiday_monday_to_tuesday() {
      Instant fridayEvening = ist(LocalDate.of(2025, 3, 28), 16, 0);

      assertThat(hours.nextOpen(fridayEvening)).contains(ist(LocalDate.of(2025, 4, 1), 9, 15));
    }

    @Test
    void skips_a_holiday_friday_and_the_weekend() {
      Instant thursdayEvening = ist(GOOD_FRIDAY.minusDays(1), 16, 0);

      assertThat(hours.nextOpen(thursdayEvening)).contains(ist(LocalDate.of(2025, 4, 21), 9, 15));
    }

    @Test
    void the_result_is_09_15_in_kolkata() {
      Instant next = hours.nextOpen(ist(FRIDAY, 18, 0)).orElseThrow();

      assertThat(next).isEqualTo(Instant.parse("2025-01-06T03:45:00Z"));
    }
  }

  @Nested
  class NextClose {

    @Test
    void during_a_session_is_the_same_day_15_30() {
      assertThat(hours.nextClose(ist(MONDAY, 9, 15))).contains(ist(MONDAY, 15, 30));
      assertThat(hours.nextClose(ist(MONDAY, 15, 29, 59))).contains(ist(MONDAY, 15, 30));
    }

    @Test
    void before_the_open_is_the_same_day_15_30() {
      assertThat(hours.nextClose(ist(MONDAY, 8, 0))).contains(ist(MONDAY, 15, 30));
    }

    @Test
    void after_the_close_is_the_next_trading_day_15_30() {
      assertThat(hours.nextClose(ist(MONDAY, 15, 30))).contains(ist(MONDAY.plusDays(1), 15, 30));
      assertThat(hours.nextClose(ist(FRIDAY, 16, 0))).contains(ist(MONDAY, 15, 30));
    }

    @Test
    void after_the_close_before_a_holiday_skips_the_holiday() {
      assertThat(hours.nextClose(ist(LocalDate.of(2025, 4, 11), 16, 0)))
          .as("Friday 11 April; Monday 14 April is a holiday")
          .contains(ist(LocalDate.of(2025, 4, 15), 15, 30));
    }

    @Test
    void on_a_holiday_is_the_next_trading_day_15_30() {
      assertThat(hours.nextClose(ist(ID_UL_FITR, 12, 0)))
          .contains(ist(LocalDate.of(2025, 4, 1), 15, 30));
    }
  }

  @Nested
  class HolidaysFile {

    @TempDir Path dir;

    private Path write(String text) throws IOException {
      Path file = dir.resolve("nse-holidays.txt");
      Files.writeString(file, text);
      return file;
    }

    @Test
    void reads_iso_dates_skipping_comments_and_blank_lines() throws IOException {
      Path file =
          write(
              """
              # NSE trading holidays 2025
              2025-03-31   # Id-ul-Fitr

                 2025-04-14
              # 2025-01-06 is commented out: a trading day
              2025-04-18 Good Friday

              """);

      NseMarketHours fromFile = NseMarketHours.fromFile(file);

      assertThat(fromFile.isOpen(ist(ID_UL_FITR, 12, 0))).isFalse();
      assertThat(fromFile.isOpen(ist(AMBEDKAR_JAYANTI, 12, 0))).isFalse();
      assertThat(fromFile.isOpen(ist(GOOD_FRIDAY, 12, 0))).isFalse();
      assertThat(fromFile.isOpen(ist(MONDAY, 12, 0))).isTrue();
      assertThat(fromFile.nextOpen(ist(LocalDate.of(2025, 3, 28), 16, 0)))
          .contains(ist(LocalDate.of(2025, 4, 1), 9, 15));
    }

    @Test
    void an_empty_file_means_no_holidays() throws IOException {
      NseMarketHours fromFile = NseMarketHours.fromFile(write(""));

      assertThat(fromFile.isOpen(ist(GOOD_FRIDAY, 12, 0))).isTrue();
      assertThat(fromFile.isOpen(ist(SATURDAY, 12, 0))).isFalse();
    }

    @Test
    void rejects_a_line_that_is_not_a_date_naming_its_line_number() throws IOException {
      Path file =
          write(
              """
              # holidays
              2025-03-31

              31/03/2025
              2025-04-18
              """);

      assertThatThrownBy(() -> NseMarketHours.fromFile(file))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line 4")
          .hasMessageContaining("31/03/2025")
          .hasMessageContaining("YYYY-MM-DD");
    }

    @Test
    void rejects_an_impossible_date() throws IOException {
      Path file = write("2025-02-30\n");

      assertThatThrownBy(() -> NseMarketHours.fromFile(file))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line 1")
          .hasMessageContaining("2025-02-30");
    }

    @Test
    void a_missing_file_is_an_illegal_argument_naming_the_file() {
      Path missing = dir.resolve("no-such-file.txt");

      assertThatThrownBy(() -> NseMarketHours.fromFile(missing))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no-such-file.txt");
    }
  }

  @Test
  void the_holiday_set_is_copied_not_shared() {
    HashSet<LocalDate> holidays = new HashSet<>(Set.of(GOOD_FRIDAY));
    NseMarketHours copy = new NseMarketHours(holidays);

    holidays.clear();

    assertThat(copy.isOpen(ist(GOOD_FRIDAY, 12, 0))).isFalse();
    assertThat(copy.nextOpen(ist(GOOD_FRIDAY, 8, 0)))
        .isEqualTo(Optional.of(ist(LocalDate.of(2025, 4, 21), 9, 15)));
  }
}
