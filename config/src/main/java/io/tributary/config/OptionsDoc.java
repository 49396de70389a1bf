package io.tributary.config;

import io.tributary.config.spi.Factory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Renders option declarations as a Markdown table (key, type, default, required, description), for the README and
 * for tests that fail when the documentation drifts from the code.
 *
 * <p>Output is deterministic: required options first, then optional ones, each sorted by key; lines end with
 * {@code \n}; pipes in cells are escaped. Defaults are written as {@link ConfigOption#parse} reads them (durations as
 * {@code 10s}, enums as {@code exactly-once}, lists comma-separated); options without a default show an empty cell.
 * Pass-through prefixes, if any, follow the table as one sentence.
 */
public final class OptionsDoc {
  private OptionsDoc() {}

  /** The options table of a source or sink factory. */
  public static String markdown(Factory factory) {
    return markdown(factory.requiredOptions(), factory.optionalOptions(), factory.passThroughPrefixes());
  }

  /**
   * The options table of any block.
   *
   * @param required options that must be present
   * @param optional options that may be present (an option also in {@code required} is listed once, as required)
   * @param passThroughPrefixes key prefixes passed through unvalidated, may be empty
   */
  public static String markdown(
      Collection<ConfigOption<?>> required, Collection<ConfigOption<?>> optional, Set<String> passThroughPrefixes) {
    StringBuilder sb = new StringBuilder();
    sb.append("| Key | Type | Default | Required | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    Set<String> requiredKeys = required.stream().map(ConfigOption::key).collect(Collectors.toSet());
    List<ConfigOption<?>> rows = new ArrayList<>();
    required.stream().sorted(Comparator.comparing(ConfigOption::key)).forEach(rows::add);
    optional.stream()
        .filter(o -> !requiredKeys.contains(o.key()))
        .sorted(Comparator.comparing(ConfigOption::key))
        .forEach(rows::add);
    for (ConfigOption<?> o : rows) {
      String def = formatDefault(o.defaultValue());
      sb.append("| `")
          .append(cell(o.key()))
          .append("` | ")
          .append(cell(o.typeName()))
          .append(" | ")
          .append(def.isEmpty() ? "" : "`" + cell(def) + "`")
          .append(" | ")
          .append(requiredKeys.contains(o.key()) ? "yes" : "no")
          .append(" | ")
          .append(o.description() == null ? "" : cell(o.description()))
          .append(" |\n");
    }
    if (!passThroughPrefixes.isEmpty()) {
      sb.append("\nKeys starting with ")
          .append(
              new TreeSet<>(passThroughPrefixes).stream()
                  .map(p -> "`" + cell(p) + "`")
                  .collect(Collectors.joining(" or ")))
          .append(" are passed through unvalidated.\n");
    }
    return sb.toString();
  }

  /** A default value as written in YAML: durations like {@code 10s}, enums like {@code merge-on-read}. */
  static String formatDefault(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Duration) {
      return Durations.format((Duration) value);
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    if (value instanceof Collection) {
      return ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }
}
