package io.tributary.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A typed option of a source, sink or pipeline block: key, value parser, default and description.
 *
 * <p>Values arrive as strings (YAML scalars) or, for list options, as YAML sequences joined with commas by the parser.
 * A parser throws {@link IllegalArgumentException} with the reason; {@link Options} turns that into a message of the
 * form {@code Invalid value X for configuration Y: reason}.
 *
 * @param <T> the parsed value type
 */
public final class ConfigOption<T> {
  private final String key;
  private final Function<String, T> parser;
  private final T defaultValue;
  private final String description;
  private final String typeName;

  private ConfigOption(String key, String typeName, Function<String, T> parser, T defaultValue, String description) {
    this.key = Objects.requireNonNull(key, "key");
    this.typeName = typeName;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** A string option; {@code defaultValue} may be null (no default). */
  public static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, "string", s -> s, defaultValue, description);
  }

  /** An int option parsed with {@link Integer#parseInt}. */
  public static ConfigOption<Integer> integer(String key, Integer defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "int",
        s -> {
          try {
            return Integer.parseInt(s.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
          }
        },
        defaultValue,
        description);
  }

  /** A long option parsed with {@link Long#parseLong}. */
  public static ConfigOption<Long> longOption(String key, Long defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "long",
        s -> {
          try {
            return Long.parseLong(s.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
          }
        },
        defaultValue,
        description);
  }

  /** A boolean option: {@code true} or {@code false}, case-insensitive; anything else is an error. */
  public static ConfigOption<Boolean> bool(String key, Boolean defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "boolean",
        s -> {
          String v = s.trim().toLowerCase(java.util.Locale.ROOT);
          if (v.equals("true")) {
            return true;
          }
          if (v.equals("false")) {
            return false;
          }
          throw new IllegalArgumentException("use true or false");
        },
        defaultValue,
        description);
  }

  /** A duration option, see {@link Durations#parse(String)} ({@code 500ms}, {@code 10s}, {@code 5min}, {@code 1h}). */
  public static ConfigOption<Duration> duration(String key, Duration defaultValue, String description) {
    return new ConfigOption<>(key, "duration", Durations::parse, defaultValue, description);
  }

  /** A list of strings: a YAML sequence, or one comma-separated string. */
  public static ConfigOption<List<String>> list(String key, List<String> defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "list",
        s ->
            Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .collect(Collectors.toUnmodifiableList()),
        defaultValue,
        description);
  }

  /**
   * An enum option. Accepts the constant's name or its lower-case, hyphenated form ({@code MERGE_ON_READ},
   * {@code merge-on-read}), case-insensitive.
   */
  public static <E extends Enum<E>> ConfigOption<E> enumOption(
      String key, Class<E> type, E defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "enum",
        s -> {
          String norm = s.trim().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
          for (E e : type.getEnumConstants()) {
            if (e.name().equals(norm)) {
              return e;
            }
          }
          throw new IllegalArgumentException(
              "use one of "
                  + Arrays.stream(type.getEnumConstants())
                      .map(e -> e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                      .collect(Collectors.joining(", ")));
        },
        defaultValue,
        description);
  }

  /**
   * This option with an extra check on the parsed value, for example {@code parallelism} at least 1. The default value
   * is not checked. The returned option has the same key, type name, default and description.
   *
   * @param check returns true when a parsed value is acceptable
   * @param reason what is allowed, used as the reason of the error when {@code check} returns false, for example
   *     {@code must be at least 1}
   * @return a new option; this one is unchanged
   */
  public ConfigOption<T> withCheck(Predicate<? super T> check, String reason) {
    Objects.requireNonNull(check, "check");
    Function<String, T> base = parser;
    return new ConfigOption<>(
        key,
        typeName,
        s -> {
          T value = base.apply(s);
          if (!check.test(value)) {
            throw new IllegalArgumentException(reason);
          }
          return value;
        },
        defaultValue,
        description);
  }

  /** The option's key, lower case and dot-separated, for example {@code scan.startup.mode}. */
  public String key() {
    return key;
  }

  /** The default value, or null when the option has none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** A one-sentence description for docs and error messages; may be null. */
  public String description() {
    return description;
  }

  /** A short type name for docs: string, int, long, boolean, duration, list, enum. */
  public String typeName() {
    return typeName;
  }

  /**
   * Parses a raw value.
   *
   * @throws IllegalArgumentException with the reason if the value is not valid for this option
   */
  public T parse(String raw) {
    return parser.apply(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigOption && ((ConfigOption<?>) o).key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return key;
  }
}
