package io.tributary.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one YAML block (a source, a sink): keys to raw string values, secrets already resolved, with
 * the YAML line of each key. Typed access goes through {@link ConfigOption}s. Immutable and serializable, so that
 * Flink operators can carry it.
 */
public final class Options implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The block's path in the document. */
  private final String path;

  /** Raw values by key, in document order. */
  private final LinkedHashMap<String, String> values;

  /** 1-based YAML line by key. */
  private final LinkedHashMap<String, Integer> lines;

  /**
   * @param path the block's path in the document, for example {@code source} or {@code sinks[1]}
   * @param values raw values by key, in document order
   * @param lines 1-based YAML line by key; keys may be missing (line unknown)
   */
  public Options(String path, Map<String, String> values, Map<String, Integer> lines) {
    this.path = path;
    this.values = new LinkedHashMap<>(values);
    this.lines = new LinkedHashMap<>(lines);
  }

  /** Options with no line information, for tests and programmatic use. */
  public static Options of(String path, Map<String, String> values) {
    return new Options(path, values, Map.of());
  }

  /** The block's path in the document, for example {@code sinks[1]}. */
  public String path() {
    return path;
  }

  /** All raw values, unmodifiable, in document order. May contain resolved secrets: never log it. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** The raw value of a key, if present. */
  public Optional<String> raw(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Whether the block sets this option (its key is present), whatever the value. */
  public boolean contains(ConfigOption<?> option) {
    return values.containsKey(option.key());
  }

  /** The 1-based YAML line of a key, or 0 when unknown. */
  public int line(String key) {
    return lines.getOrDefault(key, 0);
  }

  /** The raw string value of a key, or null. */
  public String getString(String key) {
    return values.get(key);
  }

  /**
   * The parsed value of an option, or its default when absent (null when it has none).
   *
   * @throws PipelineValidationException if the value does not parse, with the message
   *     {@code Invalid value X for configuration Y: reason}
   */
  public <T> T get(ConfigOption<T> option) {
    String raw = values.get(option.key());
    if (raw == null) {
      return option.defaultValue();
    }
    try {
      return option.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new PipelineValidationException(
          null, java.util.List.of(new ConfigProblem(path + "." + option.key(), line(option.key()), invalid(option, raw, e))));
    }
  }

  /**
   * The message for an invalid value, in the Kafka Connect form. Secrets are never echoed: a key whose name contains
   * {@code password} or {@code secret} shows as {@code ******}.
   */
  public static String invalid(ConfigOption<?> option, String raw, IllegalArgumentException e) {
    String shown = isSecretKey(option.key()) ? "******" : "'" + raw + "'";
    return "Invalid value " + shown + " for configuration " + option.key() + ": " + e.getMessage();
  }

  /**
   * Whether a key names a secret (its value is never printed): it contains {@code password}, {@code secret},
   * {@code token}, {@code sasl.jaas}, {@code credential}, {@code user.info}, {@code access.key}, {@code api.key},
   * {@code private.key} or {@code keystore.key}, case-insensitive.
   */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("sasl.jaas")
        || k.contains("credential") || k.contains("user.info") || k.contains("access.key") || k.contains("api.key")
        || k.contains("private.key") || k.contains("keystore.key");
  }

  /** Values with secret keys masked, for logs. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(path).append("{");
    values.forEach((k, v) -> sb.append(k).append("=").append(isSecretKey(k) ? "******" : v).append(", "));
    return sb.append("}").toString();
  }
}
