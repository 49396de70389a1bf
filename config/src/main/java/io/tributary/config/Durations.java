package io.tributary.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as written in pipeline YAML. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h|d)?");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 5min} (or {@code 5m}), {@code 1h}, {@code 1d}; a bare number is
   * milliseconds (the Flink convention). Units are case-insensitive; space between number and unit is allowed.
   *
   * @throws IllegalArgumentException if the text is not such a duration, or too large for {@link Duration}
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration; write e.g. 500ms, 10s, 5min, 1h");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    try {
      long n = Long.parseLong(m.group(1));
      switch (unit) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
        case "sec":
          return Duration.ofSeconds(n);
        case "m":
        case "min":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration too large");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("duration too large");
    }
  }

  /**
   * Formats a duration the way {@link #parse} reads it, in the largest exact unit up to hours ({@code 90s} gives
   * {@code 90s}, {@code 2h} gives {@code 2h}, zero gives {@code 0ms}). Sub-millisecond parts are dropped.
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "min";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
