package io.tributary.source.mysql;

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
 * Converts one value of a Debezium MySQL record (with the settings {@link MySqlSource} fixes) to the Java class its
 * {@link ColumnKind} documents. The schema name of the Connect field tells the unit of temporal values (Debezium's
 * {@code io.debezium.time.*} semantic types). Values that have no faithful representation in the column's kind are
 * rejected with an {@link IllegalArgumentException}, which {@link MySqlChangeEventDeserializer} turns into an
 * {@link io.tributary.schema.InvalidValue}: zero dates (the markers of {@link MySqlZeroDateConverter}), a
 * {@code time} outside 00:00:00..23:59:59.999999, a {@code tinyint(1)} other than 0 or 1, a decimal beyond its
 * column's precision.
 */
final class MySqlValues {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private MySqlValues() {}

  /**
   * Converts {@code raw} to the value class of {@code column.kind()}.
   *
   * @param column the discovered column
   * @param schema the Connect schema of the record's field (its name selects the unit of temporal values); may be
   *     null when unknown
   * @param raw the value from the record's Struct, may be null
   * @return the converted value, null for SQL NULL
   * @throws IllegalArgumentException if the value does not fit the column; the message starts with
   *     {@code column NAME (TYPE, kind KIND): } and says why
   */
  static Object convert(Column column, Schema schema, Object raw) {
    if (raw == null) {
      return null;
    }
    String semantic = schema == null ? null : schema.name();
    try {
      switch (column.kind()) {
        case BOOLEAN:
          return bool(raw);
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
      throw new IllegalArgumentException(
          prefix(column) + "cannot convert " + raw.getClass().getSimpleName() + " value"
              + (semantic == null ? "" : " of type " + semantic) + ": " + e.getMessage(),
          e);
    } catch (InvalidSourceValue e) {
      throw new IllegalArgumentException(prefix(column) + e.getMessage(), e);
    }
  }

  /**
   * The source value as text for an {@link io.tributary.schema.InvalidValue}: zero-date markers as the MySQL text
   * ({@code 0000-00-00 00:00:00} for a timestamp; null for a date or datetime, whose zero part is not known), a
   * {@code time} as {@code [-]H:MM:SS.ffffff}, bytes as base64, anything else by {@code toString}.
   */
  static String rawText(Column column, Schema schema, Object raw) {
    if (raw == null) {
      return null;
    }
    switch (column.kind()) {
      case DATE:
        if (raw.equals(MySqlZeroDateConverter.ZERO_DATE)) {
          return null;
        }
        break;
      case TIMESTAMP_MICROS:
        if (raw.equals(MySqlZeroDateConverter.ZERO_DATETIME)) {
          return null;
        }
        break;
      case TIME_MICROS:
        if (raw instanceof Long) {
          try {
            return durationText(timeMicrosUnchecked(schema == null ? null : schema.name(), raw));
          } catch (RuntimeException e) {
            return String.valueOf(raw);
          }
        }
        break;
      default:
        break;
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

  private static String prefix(Column column) {
    return "column " + column.name() + " (" + column.sourceType() + ", kind " + column.kind() + "): ";
  }

  private static Boolean bool(Object raw) {
    if (raw instanceof Boolean) {
      return (Boolean) raw;
    }
    long v = integral(raw);
    if (v == 0) {
      return Boolean.FALSE;
    }
    if (v == 1) {
      return Boolean.TRUE;
    }
    throw new InvalidSourceValue(
        "value " + v + " is not a boolean (0 or 1); declare the column tinyint(2) or wider if it holds numbers");
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
      value = new BigDecimal((String) raw);
    } else if (raw instanceof Long || raw instanceof Integer) {
      value = BigDecimal.valueOf(((Number) raw).longValue());
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
    if (raw.equals(MySqlZeroDateConverter.ZERO_DATE)) {
      throw zeroDate();
    }
    return Math.toIntExact(integral(raw));
  }

  private static InvalidSourceValue zeroDate() {
    return new InvalidSourceValue(
        "MySQL zero date (0000-00-00, or a date with a zero month or day), which no DATE or timestamp value "
            + "represents; store NULL or a real date instead (sql_mode NO_ZERO_DATE, NO_ZERO_IN_DATE)");
  }

  private static Long timeMicros(String semantic, Object raw) {
    long micros = timeMicrosUnchecked(semantic, raw);
    if (micros < 0 || micros >= MICROS_PER_DAY) {
      throw new InvalidSourceValue(
          "time " + durationText(micros) + " is not a time of day (00:00:00 to 23:59:59.999999); MySQL's TIME "
              + "also holds durations from -838:59:59 to 838:59:59, which TIME_MICROS cannot represent");
    }
    return micros;
  }

  /** Signed microseconds of a Debezium time value, whatever its unit. */
  private static long timeMicrosUnchecked(String semantic, Object raw) {
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

  /** {@code [-]H:MM:SS.ffffff} of a signed number of microseconds. */
  static String durationText(long micros) {
    long abs = Math.abs(micros);
    long hours = abs / 3_600_000_000L;
    long minutes = abs / 60_000_000L % 60;
    long seconds = abs / 1_000_000L % 60;
    long fraction = abs % 1_000_000L;
    return String.format("%s%02d:%02d:%02d.%06d", micros < 0 ? "-" : "", hours, minutes, seconds, fraction);
  }

  private static Long timestampMicros(String semantic, Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    if (raw.equals(MySqlZeroDateConverter.ZERO_DATETIME)) {
      throw zeroDate();
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
  private static Long zonedTimestampMicros(Object raw) {
    if (raw instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) raw).getTime(), 1000L);
    }
    if (!(raw instanceof String)) {
      throw new ClassCastException(raw.getClass().getName() + " is not a " + ZonedTimestamp.SCHEMA_NAME);
    }
    if (MySqlZeroDateConverter.ZERO_TIMESTAMP.equals(raw)) {
      throw new InvalidSourceValue(
          "MySQL zero timestamp (0000-00-00 00:00:00), which no timestamp value represents; store NULL or a real "
              + "timestamp instead (sql_mode NO_ZERO_DATE)");
    }
    Instant instant = OffsetDateTime.parse((String) raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000L);
  }

  /** A source value that has no representation in its column's kind; the message says why. */
  private static final class InvalidSourceValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidSourceValue(String message) {
      super(message, null, false, false);
    }
  }
}
