package io.tributary.source.mysql;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.source.debezium.DebeziumValueConversions;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
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
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private MySqlValues() {}

  /**
   * Converts {@code raw} to the value class of {@code column.kind()}: MySQL's rules first (booleans, integral
   * decimals, zero dates, times of day), then {@link DebeziumValueConversions#convert}.
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
    try {
      switch (column.kind()) {
        case BOOLEAN:
          return bool(raw);
        case DECIMAL:
          return DebeziumValueConversions.decimal(column,
              raw instanceof Long || raw instanceof Integer ? BigDecimal.valueOf(((Number) raw).longValue()) : raw);
        case DATE:
          if (raw.equals(MySqlZeroDateConverter.ZERO_DATE)) {
            throw zeroDate();
          }
          break;
        case TIME_MICROS:
          return timeOfDay(DebeziumValueConversions.timeMicros(schema == null ? null : schema.name(), raw));
        case TIMESTAMP_MICROS:
          if (raw.equals(MySqlZeroDateConverter.ZERO_DATETIME)) {
            throw zeroDate();
          }
          break;
        case TIMESTAMP_TZ_MICROS:
          if (MySqlZeroDateConverter.ZERO_TIMESTAMP.equals(raw)) {
            throw new InvalidSourceValue(
                "MySQL zero timestamp (0000-00-00 00:00:00), which no timestamp value represents; store NULL or a "
                    + "real timestamp instead (sql_mode NO_ZERO_DATE)");
          }
          break;
        default:
          break;
      }
    } catch (ClassCastException | ArithmeticException | DateTimeParseException e) {
      throw DebeziumValueConversions.failure(column, schema, raw, e);
    } catch (InvalidSourceValue e) {
      throw new IllegalArgumentException(DebeziumValueConversions.columnPrefix(column) + e.getMessage(), e);
    }
    return DebeziumValueConversions.convert(column, schema, raw);
  }

  /**
   * The source value as text for an {@link io.tributary.schema.InvalidValue}: zero-date markers as the MySQL text
   * ({@code 0000-00-00 00:00:00} for a timestamp; null for a date or datetime, whose zero part is not known), a
   * {@code time} as {@code [-]H:MM:SS.ffffff}, otherwise {@link DebeziumValueConversions#rawText} (bytes as base64,
   * anything else by {@code toString}).
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
            return durationText(DebeziumValueConversions.timeMicros(schema == null ? null : schema.name(), raw));
          } catch (RuntimeException e) {
            return String.valueOf(raw);
          }
        }
        break;
      default:
        break;
    }
    return DebeziumValueConversions.rawText(raw);
  }

  private static Boolean bool(Object raw) {
    if (raw instanceof Boolean) {
      return (Boolean) raw;
    }
    long v = DebeziumValueConversions.integral(raw);
    if (v == 0) {
      return Boolean.FALSE;
    }
    if (v == 1) {
      return Boolean.TRUE;
    }
    throw new InvalidSourceValue(
        "value " + v + " is not a boolean (0 or 1); declare the column tinyint(2) or wider if it holds numbers");
  }

  private static InvalidSourceValue zeroDate() {
    return new InvalidSourceValue(
        "MySQL zero date (0000-00-00, or a date with a zero month or day), which no DATE or timestamp value "
            + "represents; store NULL or a real date instead (sql_mode NO_ZERO_DATE, NO_ZERO_IN_DATE)");
  }

  /** {@code micros} if it is a time of day (0 to one day exclusive). */
  private static Long timeOfDay(long micros) {
    if (micros < 0 || micros >= MICROS_PER_DAY) {
      throw new InvalidSourceValue(
          "time " + durationText(micros) + " is not a time of day (00:00:00 to 23:59:59.999999); MySQL's TIME "
              + "also holds durations from -838:59:59 to 838:59:59, which TIME_MICROS cannot represent");
    }
    return micros;
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

  /** A source value that has no representation in its column's kind; the message says why. */
  private static final class InvalidSourceValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidSourceValue(String message) {
      super(message, null, false, false);
    }
  }
}
