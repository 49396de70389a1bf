package io.tributary.config;

import io.tributary.schema.TableId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders routing templates such as {@code shop.${schema}.${table}} (Kafka topics) or
 * {@code file:///lake/${database}/${table}} (Hudi paths) for one table.
 */
public final class Templates {
  private static final Pattern VAR = Pattern.compile("\\$\\{([a-z]+)}");

  /** Variables a routing template may use. */
  public static final java.util.List<String> VARIABLES = java.util.List.of("database", "schema", "table");

  private Templates() {}

  /**
   * Replaces {@code ${database}}, {@code ${schema}} and {@code ${table}}. For a table without a schema,
   * {@code ${schema}} renders as the database name (MySQL's convention: the database is the schema).
   *
   * @throws IllegalArgumentException if the template uses another variable
   */
  public static String render(String template, TableId id) {
    Matcher m = VAR.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value;
      switch (m.group(1)) {
        case "database":
          value = id.database();
          break;
        case "schema":
          value = id.schema() == null ? id.database() : id.schema();
          break;
        case "table":
          value = id.table();
          break;
        default:
          throw new IllegalArgumentException(
              "unknown variable ${" + m.group(1) + "} in '" + template + "'; use ${database}, ${schema} or ${table}");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Checks a template without rendering it.
   *
   * @throws IllegalArgumentException naming the first unknown variable
   */
  public static void check(String template) {
    render(template, new TableId("d", "s", "t"));
  }
}
