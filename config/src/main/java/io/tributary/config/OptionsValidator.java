package io.tributary.config;

import io.tributary.config.spi.Factory;
import io.tributary.config.spi.SinkFactory;
import io.tributary.config.spi.SourceFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a block of options against the options a {@link Factory} declares, reporting every problem at once (in the
 * manner of Flink CDC's factory helper): required options that are missing, keys that are neither declared nor
 * under a pass-through prefix, and values that fail {@link ConfigOption#parse}.
 *
 * <p>The key {@code type} is never checked (it selects the factory). Messages never contain the value of a
 * {@link Options#isSecretKey secret key}.
 */
public final class OptionsValidator {
  private OptionsValidator() {}

  /**
   * Validates {@code options} against {@code factory}; problems for missing options carry line 0.
   *
   * @return the problems, empty when the options are valid; paths are {@code <options.path()>.<key>}
   */
  public static List<ConfigProblem> validate(Factory factory, Options options) {
    return validate(factory, options, 0);
  }

  /**
   * Validates {@code options} against {@code factory}.
   *
   * @param blockLine the 1-based line of the block's own key (e.g. {@code source:}), given to problems about missing
   *     options; 0 when unknown
   * @return the problems in document order of the offending keys, then missing options sorted by key
   */
  public static List<ConfigProblem> validate(Factory factory, Options options, int blockLine) {
    return validate(
        "for " + kind(factory) + " type '" + factory.identifier() + "'",
        factory.requiredOptions(),
        factory.optionalOptions(),
        factory.passThroughPrefixes(),
        options,
        blockLine,
        Set.of(),
        Map.of());
  }

  /**
   * The general form used by the parser.
   *
   * @param subject how messages name the block, e.g. {@code for source type 'postgres'} or {@code in block 'pipeline'}
   * @param unresolved keys whose value is not available (a secret reference that failed): presence counts, but the
   *     value is not parsed (its problem is already reported)
   * @param references keys whose value came from a secret reference, mapped to the reference text shown in messages
   *     instead of the resolved value
   */
  static List<ConfigProblem> validate(
      String subject,
      Set<ConfigOption<?>> required,
      Set<ConfigOption<?>> optional,
      Set<String> passThroughPrefixes,
      Options options,
      int blockLine,
      Set<String> unresolved,
      Map<String, String> references) {
    Map<String, ConfigOption<?>> declared = new LinkedHashMap<>();
    required.forEach(o -> declared.put(o.key(), o));
    optional.forEach(o -> declared.putIfAbsent(o.key(), o));
    List<ConfigProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : options.asMap().entrySet()) {
      String key = e.getKey();
      if (key.equals("type")) {
        continue;
      }
      ConfigOption<?> option = declared.get(key);
      if (option == null) {
        if (passThroughPrefixes.stream().noneMatch(p -> key.startsWith(p) && key.length() > p.length())) {
          problems.add(
              new ConfigProblem(
                  pathOf(options, key), options.line(key), unknown(subject, key, declared, passThroughPrefixes)));
        }
        continue;
      }
      if (unresolved.contains(key)) {
        continue;
      }
      String reason = parseError(option, e.getValue());
      if (reason != null) {
        problems.add(
            new ConfigProblem(
                pathOf(options, key), options.line(key), invalid(option, e.getValue(), reason, references.get(key))));
      }
    }
    required.stream()
        .sorted(Comparator.comparing(ConfigOption::key))
        .filter(o -> !options.asMap().containsKey(o.key()))
        .forEach(
            o ->
                problems.add(
                    new ConfigProblem(
                        pathOf(options, o.key()),
                        blockLine,
                        "Missing required option '"
                            + o.key()
                            + "' "
                            + subject
                            + (o.description() == null ? "" : " (" + stripDot(o.description()) + ")"))));
    return problems;
  }

  /** Returns the reason the value does not parse, or null when it does. */
  private static String parseError(ConfigOption<?> option, String raw) {
    try {
      option.parse(raw);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage() == null ? "invalid value" : e.getMessage();
    } catch (RuntimeException e) {
      // A factory's parser that throws something else: report it as invalid rather than crash validation.
      return "cannot be parsed as " + option.typeName() + " (" + e.getClass().getSimpleName() + ")";
    }
  }

  private static String invalid(ConfigOption<?> option, String raw, String reason, String reference) {
    boolean secret = Options.isSecretKey(option.key());
    if ((secret || reference != null) && raw.length() >= 3) {
      reason = reason.replace(raw, "******"); // a parser may echo the value
    }
    if (reference != null && !secret) {
      return "Invalid value " + reference + " (resolved) for configuration " + option.key() + ": " + reason;
    }
    return Options.invalid(option, raw, new IllegalArgumentException(reason));
  }

  private static String unknown(
      String subject, String key, Map<String, ConfigOption<?>> declared, Set<String> passThroughPrefixes) {
    StringBuilder sb = new StringBuilder("Unknown option '").append(key).append("' ").append(subject);
    String suggestion = closest(key, declared.keySet());
    if (suggestion != null) {
      sb.append(" (did you mean '").append(suggestion).append("'?)");
    }
    sb.append("; known options: ");
    sb.append(declared.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(declared.keySet())));
    if (!passThroughPrefixes.isEmpty()) {
      sb.append("; keys starting with ")
          .append(
              new TreeSet<>(passThroughPrefixes).stream().map(p -> "'" + p + "'").collect(Collectors.joining(" or ")))
          .append(" are passed through");
    }
    return sb.toString();
  }

  /** The known key closest to {@code key} by edit distance, if close enough to be a typo; else null. */
  static String closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : new TreeSet<>(known)) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, key.length() / 4));
    return bestDistance <= allowed ? best : null;
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String kind(Factory factory) {
    if (factory instanceof SourceFactory) {
      return "source";
    }
    if (factory instanceof SinkFactory) {
      return "sink";
    }
    return "factory";
  }

  private static String pathOf(Options options, String key) {
    return options.path() == null || options.path().isEmpty() ? key : options.path() + "." + key;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
