package io.tributary.schema;

import java.io.Serializable;
import java.util.Objects;

/**
 * Stands in a {@link ChangeEvent} row image for a source value that could not be converted to its column's
 * {@link ColumnKind} (stage CONVERT): for example MySQL's zero date {@code 0000-00-00}, a PostgreSQL
 * {@code NaN} in a {@code numeric} column, or an unsigned value beyond its mapped type. The source keeps the change
 * instead of failing, and the pipeline's validate stage applies {@code errors.mode} to it (fail, skip or dead-letter
 * with {@link #reason()}), so that nothing vanishes silently and no sink ever sees it.
 *
 * <p>A plain class with a no-argument constructor (not a record) so that Flink's Kryo fallback can copy it.
 */
public final class InvalidValue implements Serializable {
  private static final long serialVersionUID = 1L;

  private String reason;
  private String raw;

  private InvalidValue() {
    // for Kryo
  }

  /**
   * @param reason why the value does not convert, naming the column and its source type; never null
   * @param raw the source value as text (for the dead-letter record), or null when it has no text form
   */
  public InvalidValue(String reason, String raw) {
    this.reason = Objects.requireNonNull(reason, "reason");
    this.raw = raw;
  }

  /** Why the value does not convert; never null. */
  public String reason() {
    return reason;
  }

  /** The source value as text, or null. */
  public String raw() {
    return raw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InvalidValue && reason.equals(((InvalidValue) o).reason)
        && Objects.equals(raw, ((InvalidValue) o).raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, raw);
  }

  @Override
  public String toString() {
    return "InvalidValue{" + reason + (raw == null ? "" : ", raw=" + raw) + "}";
  }
}
