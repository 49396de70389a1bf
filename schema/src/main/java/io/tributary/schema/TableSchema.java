package io.tributary.schema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mapped shape of one source table: its columns in source order and its primary key columns in key order.
 *
 * @param tableId the table
 * @param columns columns in ordinal order, never empty
 * @param primaryKey names of the primary key columns in key order; empty when the table has no primary key
 */
public record TableSchema(TableId tableId, List<Column> columns, List<String> primaryKey) implements Serializable {
  public TableSchema {
    Objects.requireNonNull(tableId, "tableId");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + tableId + " has no columns");
    }
    for (String pk : primaryKey) {
      if (columns.stream().noneMatch(c -> c.name().equals(pk))) {
        throw new IllegalArgumentException("table " + tableId + ": primary key column " + pk + " is not a column");
      }
    }
  }

  /** The column with this name, if any. */
  public Optional<Column> column(String name) {
    for (Column c : columns) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The primary key columns, in key order. */
  public List<Column> primaryKeyColumns() {
    List<Column> out = new ArrayList<>(primaryKey.size());
    for (String pk : primaryKey) {
      out.add(column(pk).orElseThrow());
    }
    return out;
  }
}
