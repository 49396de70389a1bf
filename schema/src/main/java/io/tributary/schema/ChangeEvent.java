package io.tributary.schema;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row change captured from a source, shaped like the Debezium envelope: {@code op}, {@code before},
 * {@code after}, {@code source}, {@code ts_ms}. Immutable; built only by {@link #read}, {@link #insert},
 * {@link #update} and {@link #delete}, which enforce which images must be present:
 *
 * <table>
 *   <caption>Images per op (Debezium envelope rules)</caption>
 *   <tr><th>op</th><th>before</th><th>after</th></tr>
 *   <tr><td>r, c</td><td>null</td><td>required</td></tr>
 *   <tr><td>u</td><td>optional (null when the source lacks a full before-image)</td><td>required</td></tr>
 *   <tr><td>d</td><td>required (at least the primary key)</td><td>null</td></tr>
 * </table>
 *
 * <p>Row images map column name to value in column order; values are the Java classes listed on
 * {@link ColumnKind}, or null for SQL NULL.
 */
public final class ChangeEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  private TableId tableId;
  private Op op;
  // Plain LinkedHashMaps (never unmodifiable wrappers): Flink's Kryo fallback must be able to rebuild them.
  private LinkedHashMap<String, Object> before;
  private LinkedHashMap<String, Object> after;
  private SourceInfo source;
  private long tsMs;

  private ChangeEvent() {
    // for Kryo
  }

  private ChangeEvent(
      TableId tableId, Op op, Map<String, Object> before, Map<String, Object> after, SourceInfo source, long tsMs) {
    this.tableId = Objects.requireNonNull(tableId, "tableId");
    this.op = Objects.requireNonNull(op, "op");
    this.before = before == null ? null : new LinkedHashMap<>(before);
    this.after = after == null ? null : new LinkedHashMap<>(after);
    this.source = Objects.requireNonNull(source, "source");
    this.tsMs = tsMs;
  }

  /**
   * A row read by a snapshot ({@code op=r}).
   *
   * @param tsMs when the connector processed the row, ms since the epoch
   * @throws NullPointerException if tableId, after or source is null
   */
  public static ChangeEvent read(TableId tableId, Map<String, Object> after, SourceInfo source, long tsMs) {
    return new ChangeEvent(tableId, Op.READ, null, Objects.requireNonNull(after, "after"), source, tsMs);
  }

  /**
   * An inserted row ({@code op=c}).
   *
   * @throws NullPointerException if tableId, after or source is null
   */
  public static ChangeEvent insert(TableId tableId, Map<String, Object> after, SourceInfo source, long tsMs) {
    return new ChangeEvent(tableId, Op.CREATE, null, Objects.requireNonNull(after, "after"), source, tsMs);
  }

  /**
   * An updated row ({@code op=u}); {@code before} may be null when the source gives no before-image.
   *
   * @throws NullPointerException if tableId, after or source is null
   */
  public static ChangeEvent update(
      TableId tableId, Map<String, Object> before, Map<String, Object> after, SourceInfo source, long tsMs) {
    return new ChangeEvent(tableId, Op.UPDATE, before, Objects.requireNonNull(after, "after"), source, tsMs);
  }

  /**
   * A deleted row ({@code op=d}); {@code before} holds at least the primary key columns.
   *
   * @throws NullPointerException if tableId, before or source is null
   */
  public static ChangeEvent delete(TableId tableId, Map<String, Object> before, SourceInfo source, long tsMs) {
    return new ChangeEvent(tableId, Op.DELETE, Objects.requireNonNull(before, "before"), null, source, tsMs);
  }

  /** The table the change belongs to; never null. */
  public TableId tableId() {
    return tableId;
  }

  /** The kind of change: c, u, d or r; never null. */
  public Op op() {
    return op;
  }

  /** The row before the change, or null (see the class comment). Unmodifiable. */
  public Map<String, Object> before() {
    return before == null ? null : Collections.unmodifiableMap(before);
  }

  /** The row after the change, or null for deletes. Unmodifiable. */
  public Map<String, Object> after() {
    return after == null ? null : Collections.unmodifiableMap(after);
  }

  /** Where and when the change happened in the source (the envelope's {@code source} block); never null. */
  public SourceInfo source() {
    return source;
  }

  /** When the connector processed the change, ms since the epoch (the envelope's top-level {@code ts_ms}). */
  public long tsMs() {
    return tsMs;
  }

  /** The image that identifies the row: {@code after}, or {@code before} for deletes. Never null. */
  public Map<String, Object> keyImage() {
    return op == Op.DELETE ? before() : after();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChangeEvent)) {
      return false;
    }
    ChangeEvent e = (ChangeEvent) o;
    return tsMs == e.tsMs && tableId.equals(e.tableId) && op == e.op && Objects.equals(before, e.before)
        && Objects.equals(after, e.after) && source.equals(e.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tableId, op, before, after, tsMs);
  }

  @Override
  public String toString() {
    return "ChangeEvent{" + op.code() + " " + tableId + " before=" + before + " after=" + after + " " + source + "}";
  }
}
