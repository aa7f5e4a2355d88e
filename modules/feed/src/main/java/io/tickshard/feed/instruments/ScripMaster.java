package io.tickshard.feed.instruments;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the broker's instrument list in the format it publishes (its "scrip master" CSV, compact
 * form: {@code SEM_EXM_EXCH_ID}, {@code SEM_SEGMENT}, {@code SEM_SMST_SECURITY_ID}, {@code
 * SEM_INSTRUMENT_NAME}, {@code SEM_TRADING_SYMBOL}, {@code SEM_CUSTOM_SYMBOL}, …, {@code
 * SM_SYMBOL_NAME}). Columns are found by their header name, since the broker has added columns over
 * time. Lines starting with {@code #} are comments. A row of an exchange and segment the feed has
 * no segment for, or without a usable id, is skipped and counted.
 */
public final class ScripMaster {
  private static final List<String> REQUIRED =
      List.of("SEM_EXM_EXCH_ID", "SEM_SEGMENT", "SEM_SMST_SECURITY_ID", "SEM_TRADING_SYMBOL");

  private ScripMaster() {}

  /** What a read gave: the entries, and how many rows were skipped. */
  public record Read(List<InstrumentInfo> entries, int skipped) {}

  /**
   * @throws IOException when reading fails
   * @throws IllegalArgumentException when the header lacks a required column
   */
  public static Read read(BufferedReader csv) throws IOException {
    Map<String, Integer> columns = null;
    List<InstrumentInfo> entries = new ArrayList<>();
    int skipped = 0;
    String line;
    while ((line = csv.readLine()) != null) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(line);
      if (columns == null) {
        columns = header(fields);
        continue;
      }
      Optional<InstrumentInfo> entry = entry(fields, columns);
      if (entry.isPresent()) {
        entries.add(entry.get());
      } else {
        skipped++;
      }
    }
    if (columns == null) {
      throw new IllegalArgumentException("no header line: expected " + String.join(",", REQUIRED));
    }
    return new Read(entries, skipped);
  }

  private static Map<String, Integer> header(List<String> names) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      columns.put(names.get(i).trim().replace("\uFEFF", ""), i);
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        throw new IllegalArgumentException(
            "not the broker's instrument list: no column " + required + " in its header");
      }
    }
    return columns;
  }

  private static Optional<InstrumentInfo> entry(List<String> fields, Map<String, Integer> columns) {
    Optional<ExchangeSegment> segment =
        segment(field(fields, columns, "SEM_EXM_EXCH_ID"), field(fields, columns, "SEM_SEGMENT"));
    String symbol = field(fields, columns, "SEM_TRADING_SYMBOL");
    if (segment.isEmpty() || symbol.isEmpty()) {
      return Optional.empty();
    }
    int securityId;
    try {
      securityId = Instrument.parseSecurityId(field(fields, columns, "SEM_SMST_SECURITY_ID"));
    } catch (IllegalArgumentException notAnId) {
      return Optional.empty();
    }
    String name = field(fields, columns, "SEM_CUSTOM_SYMBOL");
    if (name.isEmpty()) {
      name = field(fields, columns, "SM_SYMBOL_NAME");
    }
    return Optional.of(
        new InstrumentInfo(
            Instrument.of(segment.get(), securityId),
            symbol,
            name.isEmpty() ? symbol : name,
            field(fields, columns, "SEM_INSTRUMENT_NAME")));
  }

  /**
   * The feed's segment for the list's exchange and segment letters ({@code E} equity, {@code D}
   * derivatives, {@code C} currency, {@code M} commodity, {@code I} index).
   */
  static Optional<ExchangeSegment> segment(String exchange, String segment) {
    return Optional.ofNullable(
        switch (exchange + "," + segment) {
          case "NSE,E" -> ExchangeSegment.NSE_EQ;
          case "NSE,D" -> ExchangeSegment.NSE_FNO;
          case "NSE,C" -> ExchangeSegment.NSE_CURRENCY;
          case "NSE,I", "BSE,I" -> ExchangeSegment.IDX_I;
          case "BSE,E" -> ExchangeSegment.BSE_EQ;
          case "BSE,D" -> ExchangeSegment.BSE_FNO;
          case "BSE,C" -> ExchangeSegment.BSE_CURRENCY;
          case "MCX,M" -> ExchangeSegment.MCX_COMM;
          default -> null;
        });
  }

  private static String field(List<String> fields, Map<String, Integer> columns, String name) {
    Integer index = columns.get(name);
    return index == null || index >= fields.size() ? "" : fields.get(index).trim();
  }

  /** One CSV line's fields; a field may be quoted, with {@code ""} for a quote inside. */
  static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c != '\r') {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
