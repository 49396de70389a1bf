package io.tributary.config.spi;

import io.tributary.config.SchemaChangeBehavior;
import java.util.List;
import java.util.Optional;

/**
 * A captured table's columns changed in the source while the pipeline ran, and the pipeline's
 * {@code schema.change.behavior} says to stop: {@code fail} (always), or {@code evolve} (the job stops so that the
 * runner can plan it again with the new schema: register it, evolve Hudi tables, and resume from the last checkpoint).
 * Thrown by a source's deserializer before the first record of the new shape reaches any sink; Flink receives it
 * wrapped in its {@code SuppressRestartsException}, so the job ends at once instead of restarting into the same
 * failure.
 *
 * <p>The message names the table, the columns added, missing and changed in type, and the DDL when the source's log
 * carries it (MySQL); it starts with {@link #MARKER} so that it can be recognized after Flink serialized it.
 */
public final class SchemaChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** First words of every message of this exception. */
  public static final String MARKER = "Schema change in table ";

  private final String table;
  private final List<String> added;
  private final List<String> missing;
  private final List<String> retyped;
  private final String ddl;
  private final SchemaChangeBehavior behavior;

  /**
   * @param table the table, {@code database.schema.table}
   * @param added columns the records now carry and the pipeline's schema lacks, each as {@code name (type)}
   * @param missing columns of the pipeline's schema the records no longer carry
   * @param retyped columns whose type changed, each as {@code name (old -> new)}
   * @param ddl the DDL statement, or null when the source's log does not carry DDL (PostgreSQL)
   * @param behavior the pipeline's schema change behavior (EVOLVE or FAIL)
   */
  public SchemaChangeException(
      String table,
      List<String> added,
      List<String> missing,
      List<String> retyped,
      String ddl,
      SchemaChangeBehavior behavior) {
    super(message(table, added, missing, retyped, ddl, behavior));
    this.table = table;
    this.added = List.copyOf(added);
    this.missing = List.copyOf(missing);
    this.retyped = List.copyOf(retyped);
    this.ddl = ddl;
    this.behavior = behavior;
  }

  /** A copy known only by its message (see {@link #find}). */
  private SchemaChangeException(String message, String table, SchemaChangeBehavior behavior) {
    super(message);
    this.table = table;
    this.added = List.of();
    this.missing = List.of();
    this.retyped = List.of();
    this.ddl = null;
    this.behavior = behavior;
  }

  private static String message(
      String table,
      List<String> added,
      List<String> missing,
      List<String> retyped,
      String ddl,
      SchemaChangeBehavior behavior) {
    StringBuilder sb = new StringBuilder(MARKER).append(table).append(": ").append(describe(added, missing, retyped));
    sb.append("; DDL: ").append(ddl != null ? ddl : "(not in the source's log; inferred from the row shape)");
    if (behavior == SchemaChangeBehavior.FAIL) {
      sb.append(". schema.change.behavior is fail: stopped before the first change of the new shape was written;"
          + " nothing after the last checkpoint reached a sink. Set schema.change.behavior to evolve or ignore, or"
          + " revert the change, and run the pipeline again: it resumes from its last checkpoint");
    } else {
      sb.append(". schema.change.behavior is evolve: the pipeline stops before the first change of the new shape"
          + " and resumes from its last checkpoint with the new schema once it is registered");
    }
    return sb.toString();
  }

  /** {@code column(s) added a (INT32); missing b; type changed c (INT64 -> INT32)}. */
  static String describe(List<String> added, List<String> missing, List<String> retyped) {
    StringBuilder sb = new StringBuilder();
    append(sb, "column(s) added ", added);
    append(sb, "column(s) missing ", missing);
    append(sb, "column type(s) changed ", retyped);
    return sb.length() == 0 ? "its definition changed" : sb.toString();
  }

  private static void append(StringBuilder sb, String label, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    if (sb.length() > 0) {
      sb.append("; ");
    }
    sb.append(label).append(String.join(", ", items));
  }

  /** The table, {@code database.schema.table}. */
  public String table() {
    return table;
  }

  /** Columns added, each {@code name (type)}. */
  public List<String> added() {
    return added;
  }

  /** Columns the records no longer carry. */
  public List<String> missing() {
    return missing;
  }

  /** Columns whose type changed, each {@code name (old -> new)}. */
  public List<String> retyped() {
    return retyped;
  }

  /** The DDL, or null when the source's log does not carry it. */
  public String ddl() {
    return ddl;
  }

  /** The behavior that stopped the pipeline. */
  public SchemaChangeBehavior behavior() {
    return behavior;
  }

  /**
   * The schema change in a job's failure chain, if any: the exception itself when its class survived Flink's
   * serialization (same class loader), else a copy rebuilt from the first message starting with {@link #MARKER}
   * (then only {@link #getMessage()}, {@link #table()} and {@link #behavior()} are known).
   */
  public static Optional<SchemaChangeException> find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SchemaChangeException) {
        return Optional.of((SchemaChangeException) t);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      int at = m == null ? -1 : m.indexOf(MARKER);
      if (at >= 0) {
        String rest = m.substring(at + MARKER.length());
        int colon = rest.indexOf(": ");
        String table = colon > 0 ? rest.substring(0, colon) : rest;
        SchemaChangeBehavior behavior =
            rest.contains("schema.change.behavior is fail") ? SchemaChangeBehavior.FAIL : SchemaChangeBehavior.EVOLVE;
        return Optional.of(new SchemaChangeException(m.substring(at), table, behavior));
      }
    }
    return Optional.empty();
  }
}
