package io.tributary.source.postgres;

import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.NanoTime;
import io.debezium.time.NanoTimestamp;
import io.debezium.time.ZonedTimestamp;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;

/**
 * Converts one value of a Debezium PostgreSQL record to the Java class its {@link ColumnKind} documents. The schema
 * name of the Connect field tells the unit of temporal values (Debezium's {@code io.debezium.time.*} semantic types,
 * or Connect's own logical types when Debezium runs in {@code connect} precision mode).
 */
final class DebeziumValues {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private DebeziumValues() {}

  /**
   * Converts {@code raw} to the value class of {@code column.kind()}.
   *
   * @param column the discovered column
   * @param schema the Connect schema of the record's field (its name selects the unit of temporal values); may be
   *     null when unknown
   * @param raw the value from the record's Struct, may be null
   * @return the converted value, null for SQL NULL
   * @throws IllegalArgumentException if the value does not fit the column (a class Tributary does not expect, a
   *     decimal that would need rounding to the column's scale, an unparseable timestamp)
   */
  static Object convert(Column column, Schema schema, Object raw) {
    if (raw == null) {
      return null;
    }
    String semantic = schema == null ? null : schema.name();
    try {
      switch (column.kind()) {
        case BOOLEAN:
          return (Boolean) raw;
        case INT32:
          return Math.toIntExact(integral(raw));
        case INT64:
          return integral(raw);
        case FLOAT32:
          return ((Number) raw).floatValue();
        case FLOAT64:
          return ((Number) raw).doubleValue();
        case DECIMAL:
          return decimal(column, raw);
        case STRING:
        case UUID:
        case JSON:
          return (String) raw;
        case BYTES:
          return bytes(raw);
        case DATE:
          return date(raw);
        case TIME_MICROS:
          return timeMicros(semantic, raw);
        case TIMESTAMP_MICROS:
          return timestampMicros(semantic, raw);
        case TIMESTAMP_TZ_MICROS:
          return zonedTimestampMicros(semantic, raw);
        default:
          throw new IllegalArgumentException("no conversion for kind " + column.kind());
      }
    } catch (ClassCastException | ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "column " + column.name() + " (" + column.sourceType() + ", kind " + column.kind() + "): cannot convert "
              + raw.getClass().getSimpleName() + " value" + (semantic == null ? "" : " of type " + semantic) + ": "
              + e.getMessage(),
          e);
    }
  }

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

  private static long integral(Object raw) {
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    throw new ClassCastException(raw.getClass().getName() + " is not an integral number");
  }

  private static BigDecimal decimal(Column column, Object raw) {
    BigDecimal value;
    if (raw instanceof BigDecimal) {
      value = (BigDecimal) raw;
    } else if (raw instanceof String) {
      String t = (String) raw;
      if (t.equals("NaN") || t.endsWith("Infinity")) {
        throw new ArithmeticException(t + " is not a decimal number (Avro decimal(" + column.precision() + ","
            + column.scale() + ") cannot hold it)");
      }
      value = new BigDecimal(t);
    } else {
      throw new ClassCastException(
          raw.getClass().getName() + " is not a decimal (is decimal.handling.mode=precise overridden?)");
    }
    BigDecimal scaled = value.setScale(column.scale(), RoundingMode.UNNECESSARY);
    if (scaled.precision() > column.precision()) {
      throw new ArithmeticException(
          scaled.toPlainString() + " has more than " + column.precision() + " digits");
    }
    return scaled;
  }

  private static byte[] bytes(Object raw) {
    if (raw instanceof byte[]) {
      byte[] b = (byte[]) raw;
      return Arrays.copyOf(b, b.length);
    }
    if (raw instanceof ByteBuffer) {
      ByteBuffer buf = ((ByteBuffer) raw).duplicate();
      byte[] b = new byte[buf.remaining()];
      buf.get(b);
      return b;
    }
    throw new ClassCastException(raw.getClass().getName() + " is not bytes");
  }

  /** Days since the epoch: Debezium's {@code io.debezium.time.Date} (int) or Connect's Date (java.util.Date). */
  private static Integer date(Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.toIntExact(Math.floorDiv(((java.util.Date) raw).getTime(), MILLIS_PER_DAY));
    }
    return Math.toIntExact(integral(raw));
  }

  private static Long timeMicros(String semantic, Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    long v = integral(raw);
    if (MicroTime.SCHEMA_NAME.equals(semantic)) {
      return v;
    }
    if (NanoTime.SCHEMA_NAME.equals(semantic)) {
      return Math.floorDiv(v, 1000L);
    }
    if (io.debezium.time.Time.SCHEMA_NAME.equals(semantic)) {
      return Math.multiplyExact(v, 1000L);
    }
    throw new ClassCastException("unexpected time representation " + semantic);
  }

  private static Long timestampMicros(String semantic, Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    long v = integral(raw);
    if (MicroTimestamp.SCHEMA_NAME.equals(semantic)) {
      return v;
    }
    if (NanoTimestamp.SCHEMA_NAME.equals(semantic)) {
      return Math.floorDiv(v, 1000L);
    }
    if (io.debezium.time.Timestamp.SCHEMA_NAME.equals(semantic)) {
      return Math.multiplyExact(v, 1000L);
    }
    throw new ClassCastException("unexpected timestamp representation " + semantic);
  }

  /** Microseconds since the epoch from Debezium's ZonedTimestamp, an ISO-8601 string with an offset. */
  private static Long zonedTimestampMicros(String semantic, Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    if (!(raw instanceof String)) {
      throw new ClassCastException(raw.getClass().getName() + " is not a " + ZonedTimestamp.SCHEMA_NAME);
    }
    Instant instant = OffsetDateTime.parse((String) raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000L);
  }
}
