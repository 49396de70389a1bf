package io.tributary.schema;

import java.io.Serializable;
import java.util.Objects;

/**
 * Identifies a source table: database, schema (null where the source has none, as in MySQL) and table name.
 *
 * <p>{@link #toString()} gives {@code database.schema.table}, or {@code database.table} without a schema.
 */
public final class TableId implements Serializable, Comparable<TableId> {
  private static final long serialVersionUID = 1L;

  private String database;
  private String schema;
  private String table;

  private TableId() {
    // for Kryo
  }

  /**
   * @param database database name, never null
   * @param schema schema (namespace) name, null for sources without schemas
   * @param table table name, never null
   * @throws NullPointerException if database or table is null
   */
  public TableId(String database, String schema, String table) {
    this.database = Objects.requireNonNull(database, "database");
    this.schema = schema;
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The database name; never null. */
  public String database() {
    return database;
  }

  /** The schema name, or null when the source has no schemas. */
  public String schema() {
    return schema;
  }

  /** The table name; never null. */
  public String table() {
    return table;
  }

  /** {@code schema.table}, or just {@code table} without a schema: the name users write in {@code tables}. */
  public String schemaQualifiedName() {
    return schema == null ? table : schema + "." + table;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TableId)) {
      return false;
    }
    TableId other = (TableId) o;
    return database.equals(other.database) && Objects.equals(schema, other.schema) && table.equals(other.table);
  }

  @Override
  public int hashCode() {
    return Objects.hash(database, schema, table);
  }

  @Override
  public int compareTo(TableId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return schema == null ? database + "." + table : database + "." + schema + "." + table;
  }
}
