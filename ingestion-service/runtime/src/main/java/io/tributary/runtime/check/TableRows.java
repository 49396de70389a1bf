package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of one table as read from one side (source, Kafka topic, Hudi table): canonical row images keyed by
 * their primary key (the canonical key values joined with {@code |}), sorted by key.
 */
public final class TableRows {
  private final TableSchema table;
  private final String side;
  private final TreeMap<String, Map<String, String>> rows = new TreeMap<>();

  /** @param side where the rows come from, for reports: {@code source}, {@code kafka-0}, {@code hudi-1} */
  public TableRows(TableSchema table, String side) {
    this.table = table;
    this.side = side;
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
    return java.util.Collections.unmodifiableMap(rows);
  }

  /** The key of a raw row image: canonical primary key values joined with {@code |}. */
  public String keyOf(Map<String, ?> image) {
    List<String> parts = new ArrayList<>();
    for (Column c : table.primaryKeyColumns()) {
      parts.add(Canonical.value(c, image.get(c.name())));
    }
    return String.join("|", parts);
  }

  /** Adds or replaces a row from a raw image (values of any supported representation). */
  public void put(Map<String, ?> image) {
    rows.put(keyOf(image), Canonical.row(table.columns(), image));
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
