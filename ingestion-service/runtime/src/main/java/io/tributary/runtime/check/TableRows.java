package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of one table as read from one side (source, Kafka topic, Hudi table): canonical row images keyed by
 * their primary key (the canonical key values joined with {@code |}), sorted by key.
 *
 * <p>A filtered instance ({@link #TableRows(TableSchema, String, Set)}) keeps only the given keys: re-reading a
 * whole topic or Hudi table to re-check a few differing keys then holds only those keys in memory.
 */
public final class TableRows {
  private final TableSchema table;
  private final String side;
  private final Set<String> onlyKeys;
  private final TreeMap<String, Map<String, String>> rows = new TreeMap<>();

  /** @param side where the rows come from, for reports: {@code source}, {@code kafka-0}, {@code hudi-1} */
  public TableRows(TableSchema table, String side) {
    this(table, side, null);
  }

  /**
   * @param side where the rows come from, for reports: {@code source}, {@code kafka-0}, {@code hudi-1}
   * @param onlyKeys keys (as {@link #keyOf} renders them) to keep; rows with any other key are ignored by
   *     {@link #put} and {@link #remove}; null keeps every row
   */
  public TableRows(TableSchema table, String side, Set<String> onlyKeys) {
    this.table = table;
    this.side = side;
    this.onlyKeys = onlyKeys == null ? null : Set.copyOf(onlyKeys);
  }

  /** The table these rows belong to. */
  public TableSchema table() {
    return table;
  }

  /** Where the rows come from: {@code source}, or a sink name such as {@code kafka-0}. */
  public String side() {
    return side;
  }

  /** The rows by key (unmodifiable view). */
  public Map<String, Map<String, String>> rows() {
    return Collections.unmodifiableMap(rows);
  }

  /** The key of a raw row image: canonical primary key values joined with {@code |}. */
  public String keyOf(Map<String, ?> image) {
    List<String> parts = new ArrayList<>();
    for (Column c : table.primaryKeyColumns()) {
      parts.add(Canonical.value(c, image.get(c.name())));
    }
    return String.join("|", parts);
  }

  /**
   * The key of canonical primary key values (as {@link #keyValues} returns them): the values joined with {@code |}
   * in key order, the same string {@link #keyOf} renders from the raw values.
   */
  public static String keyOfValues(TableSchema table, Map<String, String> keyValues) {
    List<String> parts = new ArrayList<>();
    for (Column c : table.primaryKeyColumns()) {
      parts.add(keyValues.get(c.name()));
    }
    return String.join("|", parts);
  }

  /**
   * The canonical primary key values of a row held here, by column name in key order, or null when the key is not
   * held. Used to look a key up again in the source ({@link CheckSource#read(TableSchema, java.util.Collection)}).
   */
  public Map<String, String> keyValues(String key) {
    Map<String, String> row = rows.get(key);
    if (row == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Column c : table.primaryKeyColumns()) {
      out.put(c.name(), row.get(c.name()));
    }
    return out;
  }

  /** Adds or replaces a row from a raw image (values of any supported representation). */
  public void put(Map<String, ?> image) {
    String key = keyOf(image);
    if (onlyKeys == null || onlyKeys.contains(key)) {
      rows.put(key, Canonical.row(table.columns(), image));
    }
  }

  /**
   * Sets a row from a record written with an earlier schema version of the table, as a consumer reading it with the
   * table's current schema sees it: nullable columns the record lacks (added since) read as null (Avro
   * specification, "Schema Resolution": a reader field missing from the writer takes its default, null).
   */
  public void putResolved(Map<String, ?> image) {
    Map<String, Object> resolved = null;
    for (io.tributary.schema.Column c : table.columns()) {
      if (c.nullable() && !image.containsKey(c.name())) {
        if (resolved == null) {
          resolved = new java.util.LinkedHashMap<>(image);
        }
        resolved.put(c.name(), null);
      }
    }
    put(resolved == null ? image : resolved);
  }

  /** Removes the row with this raw key image (a delete or tombstone). */
  public void remove(Map<String, ?> keyImage) {
    rows.remove(keyOf(keyImage));
  }

  /** The number of rows (distinct primary keys). */
  public int size() {
    return rows.size();
  }
}
