package io.tributary.source.postgres;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;

/**
 * Retype detection for Debezium PostgreSQL records: whether a record field's Connect type is what Debezium gives for
 * a column of the discovered {@link ColumnKind} ({@link #holds}), or a narrower type that converts without loss
 * ({@link #widens}). PostgreSQL-specific (unconstrained numerics as Debezium's VariableScaleDecimal or text, and
 * types that keep one representation per kind); the MySQL source does not use it, since its zero-date converter
 * changes the Connect representation of temporal columns. The value conversions themselves are
 * {@link io.tributary.source.debezium.DebeziumValueConversions}.
 */
final class DebeziumValues {

  private DebeziumValues() {}

  /**
   * Whether a record field of Connect type {@code schema} is what Debezium gives for a column of {@code column}'s
   * kind as discovered. False means the column's type changed in the source (for example {@code integer} to
   * {@code bigint} or back, {@code real} to {@code double precision}, or a decimal's scale), a schema change; changes
   * that keep the representation (a longer varchar, smallint to integer) are not schema changes for Tributary.
   *
   * @param schema the Connect schema of the record's field, never null
   */
  static boolean holds(Column column, Schema schema) {
    Schema.Type t = schema.type();
    switch (column.kind()) {
      case BOOLEAN:
        return t == Schema.Type.BOOLEAN;
      case INT32:
        return t == Schema.Type.INT8 || t == Schema.Type.INT16 || t == Schema.Type.INT32;
      case INT64:
        return t == Schema.Type.INT64;
      case FLOAT32:
        return t == Schema.Type.FLOAT32;
      case FLOAT64:
        return t == Schema.Type.FLOAT64;
      case DECIMAL: {
        if (t == Schema.Type.STRING) {
          return true; // decimal.handling.mode=string, or an unconstrained numeric's special values
        }
        String scale = schema.parameters() == null ? null : schema.parameters().get("scale");
        return t == Schema.Type.BYTES && (scale == null || scale.equals(Integer.toString(column.scale())))
            || t == Schema.Type.STRUCT; // Debezium's VariableScaleDecimal for unconstrained numeric
      }
      case STRING:
      case UUID:
      case JSON:
      case TIMESTAMP_TZ_MICROS:
        return t == Schema.Type.STRING;
      case BYTES:
        return t == Schema.Type.BYTES;
      case DATE:
        return t == Schema.Type.INT32;
      case TIME_MICROS:
      case TIMESTAMP_MICROS:
        return t == Schema.Type.INT32 || t == Schema.Type.INT64;
      default:
        return true;
    }
  }

  /**
   * Whether a record field of Connect type {@code schema} is narrower than {@code column}'s kind and converts to it
   * without loss (an {@code integer} value into a {@code bigint} column, {@code real} into {@code double precision}).
   * That is what the log replays from before a widening DDL, once the pipeline evolved to the wider type; it is read
   * as the wider type instead of being taken for another schema change.
   */
  static boolean widens(Column column, Schema schema) {
    Schema.Type t = schema.type();
    switch (column.kind()) {
      case INT64:
        return t == Schema.Type.INT8 || t == Schema.Type.INT16 || t == Schema.Type.INT32;
      case FLOAT64:
        return t == Schema.Type.FLOAT32;
      default:
        return false;
    }
  }
}
