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
 * @param retiredColumns names of columns the pipeline captured earlier and the source has dropped since (a schema
 *     change it evolved through); changes replayed from before the drop still carry them and their values are
 *     ignored. Empty for a table that never lost a column
 */
public record TableSchema(TableId tableId, List<Column> columns, List<String> primaryKey, List<String> retiredColumns)
    implements Serializable {
  /** A table that never lost a column (no retired columns). */
  public TableSchema(TableId tableId, List<Column> columns, List<String> primaryKey) {
    this(tableId, columns, primaryKey, List.of());
  }

  public TableSchema {
    Objects.requireNonNull(tableId, "tableId");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    retiredColumns = retiredColumns == null ? List.of() : List.copyOf(retiredColumns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + tableId + " has no columns");
    }
    for (String pk : primaryKey) {
      if (columns.stream().noneMatch(c -> c.name().equals(pk))) {
        throw new IllegalArgumentException("table " + tableId + ": primary key column " + pk + " is not a column");
      }
    }
  }

  /** This table with {@code retired} as its retired columns (see the record comment). */
  public TableSchema withRetiredColumns(List<String> retired) {
    return new TableSchema(tableId, columns, primaryKey, retired);
  }

  /** The column names, in column order. */
  public List<String> columnNames() {
    List<String> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.name());
    }
    return out;
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
