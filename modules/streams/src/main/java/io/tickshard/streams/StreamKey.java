package io.tickshard.streams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedLimits;
import io.tickshard.feed.Instrument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What one upstream stream serves: a screener type and a set of instruments, in canonical form
 * {@code type:<screener>|ids:<list>}. The list is sorted (by segment code, then id) and
 * de-duplicated; an NSE_EQ instrument is written as its bare id, any other as {@code SEGMENT:ID}.
 * So {@code 3,1,2,2} and {@code 1,2,3} are the same key.
 */
public final class StreamKey implements Comparable<StreamKey> {

  private static final Pattern SCREENER_TYPE = Pattern.compile("[a-z0-9_-]{1,32}");
  private static final String TYPE_PREFIX = "type:";
  private static final String IDS_PREFIX = "|ids:";

  /**
   * Longest key used as it is for the entity id; longer ones are hashed (journal ids are short).
   */
  private static final int MAX_READABLE_ENTITY_ID = 180;

  /** How long a short id is: 12 base32 characters, 60 bits of the key's SHA-256. */
  public static final int SHORT_ID_LENGTH = 12;

  /** Characters of a short id: lower-case base32 (RFC 4648's alphabet), nothing to encode. */
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

  /** Longest key written as it is in log lines. */
  private static final int MAX_LABEL = 120;

  private final String screenerType;
  private final List<Instrument> instruments;
  // Worked out once: a key is parsed at the edge and then passed around as it is (a status call,
  // a listing, a log line all need its text, and a 5,000-instrument key is 60 KB of it).
  private final String value;
  private volatile String shortId;
  private volatile String entityId;

  public StreamKey(String screenerType, List<Instrument> instruments) {
    if (screenerType == null || !SCREENER_TYPE.matcher(screenerType).matches()) {
      throw new InvalidStreamKeyException(
          "screener type must be 1-32 characters of a-z, 0-9, '_' or '-'");
    }
    if (instruments == null || instruments.isEmpty()) {
      throw new InvalidStreamKeyException("at least one instrument is required");
    }
    if (instruments.stream().anyMatch(Objects::isNull)) {
      throw new InvalidStreamKeyException("an instrument is missing (null)");
    }
    List<Instrument> canonical = List.copyOf(new TreeSet<>(instruments));
    if (canonical.size() > FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION) {
      throw new InvalidStreamKeyException(
          "at most "
              + FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION
              + " instruments per stream, got "
              + canonical.size());
    }
    this.screenerType = screenerType;
    this.instruments = canonical;
    this.value = canonicalText(screenerType, canonical);
  }

  public String screenerType() {
    return screenerType;
  }

  /** Sorted (by segment code, then id), no duplicates. */
  public List<Instrument> instruments() {
    return instruments;
  }

  /**
   * A key from a screener type and instruments as users write them: {@code 1333} (NSE_EQ) or {@code
   * NSE_FNO:55796}.
   *
   * @throws InvalidStreamKeyException naming the first bad instrument
   */
  public static StreamKey of(String screenerType, Collection<String> instruments) {
    if (instruments == null || instruments.isEmpty()) {
      throw new InvalidStreamKeyException("at least one instrument is required");
    }
    if (instruments.size() > 2 * FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION) {
      // Refuse absurd lists before parsing them; duplicates may still bring a long one under.
      throw new InvalidStreamKeyException("too many instruments: " + instruments.size());
    }
    List<Instrument> parsed =
        instruments.stream()
            .map(
                text -> {
                  try {
                    return Instrument.parse(text);
                  } catch (IllegalArgumentException e) {
                    throw new InvalidStreamKeyException(
                        "instrument '" + text + "': " + e.getMessage());
                  }
                })
            .toList();
    return new StreamKey(screenerType, parsed);
  }

  /** Parses the canonical form (any order, duplicates allowed: it is normalised). */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static StreamKey parse(String key) {
    if (key == null || !key.startsWith(TYPE_PREFIX) || !key.contains(IDS_PREFIX)) {
      throw new InvalidStreamKeyException("a stream key looks like type:<screener>|ids:<list>");
    }
    int ids = key.indexOf(IDS_PREFIX);
    String list = key.substring(ids + IDS_PREFIX.length());
    return of(
        key.substring(TYPE_PREFIX.length(), ids),
        list.isEmpty() ? List.of() : List.of(list.split(",", -1)));
  }

  /** The canonical text. */
  @JsonValue
  public String value() {
    return value;
  }

  private static String canonicalText(String screenerType, List<Instrument> instruments) {
    StringBuilder text = new StringBuilder(TYPE_PREFIX).append(screenerType).append(IDS_PREFIX);
    for (int i = 0; i < instruments.size(); i++) {
      Instrument instrument = instruments.get(i);
      if (i > 0) {
        text.append(',');
      }
      if (instrument.segment() != ExchangeSegment.NSE_EQ) {
        text.append(instrument.segment().name()).append(':');
      }
      text.append(instrument.securityId());
    }
    return text.toString();
  }

  /**
   * The sharding entity id: the canonical text when it is short enough to be a journal id, else
   * {@code sha256:} and its hash.
   */
  public String entityId() {
    String id = entityId;
    if (id == null) {
      id = value.length() <= MAX_READABLE_ENTITY_ID ? value : "sha256:" + sha256(value);
      entityId = id;
    }
    return id;
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(digest(text));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * A short, stable id for URLs, where a key of a few hundred instruments does not fit: 12
   * characters of base32 from the SHA-256 of the canonical key (the same key has the same id on
   * every node and in every run). Never starts with {@code type:}, which every key does.
   */
  public String shortId() {
    String id = shortId;
    if (id == null) {
      id = shortIdOf(value);
      shortId = id;
    }
    return id;
  }

  /**
   * Short ids already worked out, by canonical key: the listing names every stream by its id, and
   * hashed every key again on every call (docs/benchmarks.md, control plane: 6,565 listings/s
   * before, 6,962 after). Emptied when full: ids are cheap to work out again.
   */
  private static final Map<String, String> SHORT_IDS = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_SHORT_IDS = 20_000;

  /** The short id of a canonical key text. */
  public static String shortIdOf(String canonical) {
    String known = SHORT_IDS.get(canonical);
    if (known != null) {
      return known;
    }
    String id = hashedShortId(canonical);
    if (SHORT_IDS.size() >= MAX_CACHED_SHORT_IDS) {
      SHORT_IDS.clear();
    }
    SHORT_IDS.put(canonical, id);
    return id;
  }

  private static String hashedShortId(String canonical) {
    byte[] hash = digest(canonical);
    StringBuilder id = new StringBuilder(SHORT_ID_LENGTH);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    for (int i = 0; i < SHORT_ID_LENGTH; i++) {
      id.append(BASE32.charAt((int) ((bits >>> (64 - 5 * (i + 1))) & 31)));
    }
    return id.toString();
  }

  /** Whether a text has the form of a short id (it may name no stream). */
  public static boolean isShortId(String text) {
    return text.length() == SHORT_ID_LENGTH && text.chars().allMatch(c -> BASE32.indexOf(c) >= 0);
  }

  /** A name for log lines: the key itself when short, else type, count and the hashed id. */
  public String label() {
    String value = value();
    return value.length() <= MAX_LABEL
        ? value
        : TYPE_PREFIX
            + screenerType
            + "|"
            + instruments.size()
            + " instruments|sha256:"
            + sha256(value).substring(0, 16);
  }

  /** In the order of their canonical text. */
  @Override
  public int compareTo(StreamKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StreamKey that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
