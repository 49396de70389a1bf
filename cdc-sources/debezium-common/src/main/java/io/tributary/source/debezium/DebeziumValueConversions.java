package io.tributary.source.debezium;

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
import java.util.Base64;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;

/**
 * The source-independent conversions of one value of a Debezium record (relocated Kafka Connect types, as Flink CDC's
 * shaded connectors deliver them) to the Java class its {@link ColumnKind} documents. The schema name of the Connect
 * field tells the unit of temporal values (Debezium's {@code io.debezium.time.*} semantic types, or Connect's own
 * logical types, which arrive as {@link java.util.Date}).
 *
 * <p>The single-value helpers ({@link #integral}, {@link #decimal}, ...) throw {@link ClassCastException},
 * {@link ArithmeticException} or {@link DateTimeParseException} for a value they cannot convert; {@link #convert}
 * turns those into an {@link IllegalArgumentException} via {@link #failure}. Sources apply their own rules (MySQL's
 * zero dates and {@code tinyint(1)} booleans, PostgreSQL's TOAST placeholder) before or instead of these.
 */
public final class DebeziumValueConversions {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private DebeziumValueConversions() {}

  /**
   * Converts {@code raw} to the value class of {@code column.kind()}: BOOLEAN a {@link Boolean}, INT32 an
   * {@link Integer}, INT64 a {@link Long}, FLOAT32/FLOAT64 a {@link Float}/{@link Double}, DECIMAL a
   * {@link BigDecimal} at the column's scale, STRING/UUID/JSON a {@link String}, BYTES a fresh {@code byte[]}, DATE
   * days since the epoch ({@link Integer}), TIME_MICROS, TIMESTAMP_MICROS and TIMESTAMP_TZ_MICROS microseconds
   * ({@link Long}).
   *
   * @param column the discovered column
   * @param schema the Connect schema of the record's field (its name selects the unit of temporal values); may be
   *     null when unknown
   * @param raw the value from the record's Struct, may be null
   * @return the converted value, null for SQL NULL
   * @throws IllegalArgumentException if the value does not fit the column (a class Tributary does not expect, a
   *     decimal that would need rounding to the column's scale or has more digits than its precision, NaN or
   *     Infinity for a decimal, an unparseable timestamp); the message starts with {@link #columnPrefix}
   */
  public static Object convert(Column column, Schema schema, Object raw) {
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
          return zonedTimestampMicros(raw);
        default:
          throw new IllegalArgumentException("no conversion for kind " + column.kind());
      }
    } catch (ClassCastException | ArithmeticException | DateTimeParseException e) {
      throw failure(column, schema, raw, e);
    }
  }

  /**
   * The exception {@link #convert} throws for a value that failed to convert: message
   * {@code column NAME (TYPE, kind KIND): cannot convert CLASS value[ of type SEMANTIC]: CAUSE}.
   *
   * @param schema the field's Connect schema, may be null
   * @param raw the value, not null
   * @param cause what the conversion threw
   */
  public static IllegalArgumentException failure(Column column, Schema schema, Object raw, RuntimeException cause) {
    String semantic = schema == null ? null : schema.name();
    return new IllegalArgumentException(
        columnPrefix(column) + "cannot convert " + raw.getClass().getSimpleName() + " value"
            + (semantic == null ? "" : " of type " + semantic) + ": " + cause.getMessage(),
        cause);
  }

  /** {@code column NAME (SOURCE TYPE, kind KIND): }, the start of every conversion message. */
  public static String columnPrefix(Column column) {
    return "column " + column.name() + " (" + column.sourceType() + ", kind " + column.kind() + "): ";
  }

  /**
   * The value of a {@link Long}, {@link Integer}, {@link Short} or {@link Byte}.
   *
   * @throws ClassCastException for any other class
   */
  public static long integral(Object raw) {
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    throw new ClassCastException(raw.getClass().getName() + " is not an integral number");
  }

  /**
   * A decimal at the column's scale: from a {@link BigDecimal} (Debezium's {@code decimal.handling.mode=precise}) or
   * its text ({@code string} mode, or the special values of an unconstrained PostgreSQL numeric).
   *
   * @throws ArithmeticException for {@code NaN} or {@code [+-]Infinity} text (no Avro decimal holds them), for a
   *     value that needs rounding to {@code column.scale()}, or one with more than {@code column.precision()} digits
   * @throws ClassCastException for any other class
   * @throws NumberFormatException for text that is no number
   */
  public static BigDecimal decimal(Column column, Object raw) {
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
      throw new ArithmeticException(scaled.toPlainString() + " has more than " + column.precision() + " digits");
    }
    return scaled;
  }

  /**
   * A copy of the bytes of a {@code byte[]}, or the remaining bytes of a {@link ByteBuffer} (its position is left
   * as it was).
   *
   * @throws ClassCastException for any other class
   */
  public static byte[] bytes(Object raw) {
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

  /**
   * Days since the epoch: Debezium's {@code io.debezium.time.Date} (an integral number of days) or Connect's Date
   * (a {@link java.util.Date} at midnight UTC).
   *
   * @throws ArithmeticException if the day count overflows an int
   * @throws ClassCastException for any other class
   */
  public static int date(Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.toIntExact(Math.floorDiv(((java.util.Date) raw).getTime(), MILLIS_PER_DAY));
    }
    return Math.toIntExact(integral(raw));
  }

  /**
   * Signed microseconds of a time value, whatever its unit: {@code io.debezium.time.MicroTime} (micros),
   * {@code NanoTime} (nanos, floored), {@code Time} (millis), or Connect's Time ({@link java.util.Date}). No range
   * check: a time of day is 0 to one day exclusive, a caller that may see durations checks that itself.
   *
   * @param semantic the Connect schema name of the field, may be null
   * @throws ClassCastException for an unknown representation
   * @throws ArithmeticException on overflow
   */
  public static long timeMicros(String semantic, Object raw) {
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

  /**
   * Microseconds since the epoch of a timestamp without time zone: {@code io.debezium.time.MicroTimestamp},
   * {@code NanoTimestamp} (floored), {@code Timestamp} (millis), or Connect's Timestamp ({@link java.util.Date}).
   *
   * @param semantic the Connect schema name of the field, may be null
   * @throws ClassCastException for an unknown representation
   * @throws ArithmeticException on overflow
   */
  public static long timestampMicros(String semantic, Object raw) {
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

  /**
   * Microseconds since the epoch from Debezium's {@code ZonedTimestamp}, an ISO-8601 string with an offset
   * ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}; sub-microsecond digits are truncated), or a
   * {@link java.util.Date}.
   *
   * @throws ClassCastException for any other class
   * @throws DateTimeParseException for text that is no ISO offset date-time
   */
  public static long zonedTimestampMicros(Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    if (!(raw instanceof String)) {
      throw new ClassCastException(raw.getClass().getName() + " is not a " + ZonedTimestamp.SCHEMA_NAME);
    }
    Instant instant = OffsetDateTime.parse((String) raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000L);
  }

  /**
   * A raw value as text for an {@link io.tributary.schema.InvalidValue} (and so a dead-letter record): a
   * {@code byte[]} or the remaining bytes of a {@link ByteBuffer} as base64, anything else by {@code toString}.
   *
   * @return the text, null for null
   */
  public static String rawText(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) raw);
    }
    if (raw instanceof ByteBuffer) {
      ByteBuffer b = ((ByteBuffer) raw).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
    return String.valueOf(raw);
  }
}
