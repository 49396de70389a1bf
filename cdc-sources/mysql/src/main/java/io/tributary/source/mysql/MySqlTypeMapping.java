package io.tributary.source.mysql;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps MySQL and MariaDB column types to Tributary {@link ColumnKind}s. A column is identified by its
 * {@code information_schema.COLUMNS} entry: {@code DATA_TYPE} (for example {@code int}), {@code COLUMN_TYPE} (for
 * example {@code int(10) unsigned}) and, for decimals, {@code NUMERIC_PRECISION} and {@code NUMERIC_SCALE}.
 *
 * <table>
 *   <caption>MySQL / MariaDB types and the kinds they map to</caption>
 *   <tr><th>MySQL / MariaDB type</th><th>kind</th><th>value in a change event</th></tr>
 *   <tr><td>tinyint(1) (signed; also written bool, boolean), bit(1)</td><td>BOOLEAN</td><td>Boolean; a tinyint(1)
 *       value other than 0 or 1 becomes an {@link io.tributary.schema.InvalidValue}</td></tr>
 *   <tr><td>tinyint, smallint, mediumint (signed or unsigned), int (signed)</td><td>INT32</td><td>Integer</td></tr>
 *   <tr><td>int unsigned, bigint (signed)</td><td>INT64</td><td>Long</td></tr>
 *   <tr><td>bigint unsigned (also serial)</td><td>DECIMAL(20,0)</td><td>BigDecimal, 0 to 18446744073709551615</td></tr>
 *   <tr><td>decimal(p,s) / numeric(p,s)</td><td>DECIMAL(p,s)</td><td>BigDecimal with scale s</td></tr>
 *   <tr><td>float</td><td>FLOAT32</td><td>Float</td></tr>
 *   <tr><td>double, double precision, real</td><td>FLOAT64</td><td>Double</td></tr>
 *   <tr><td>bit(n), n &gt; 1</td><td>BYTES</td><td>byte[] as Debezium's {@code io.debezium.data.Bits}: the bit
 *       string's bytes, least significant byte first</td></tr>
 *   <tr><td>char(n), varchar(n), tinytext, text, mediumtext, longtext</td><td>STRING</td><td>String</td></tr>
 *   <tr><td>enum(...), set(...)</td><td>STRING</td><td>String (a set as its comma-separated members)</td></tr>
 *   <tr><td>date</td><td>DATE</td><td>Integer, days since 1970-01-01</td></tr>
 *   <tr><td>datetime(p)</td><td>TIMESTAMP_MICROS</td><td>Long, µs of the local date-time (DATETIME has no zone;
 *       {@code server-time-zone} does not apply)</td></tr>
 *   <tr><td>timestamp(p)</td><td>TIMESTAMP_TZ_MICROS</td><td>Long, µs since the epoch (UTC)</td></tr>
 *   <tr><td>time(p)</td><td>TIME_MICROS</td><td>Long, µs since midnight; see below</td></tr>
 *   <tr><td>year</td><td>INT32</td><td>Integer, the year (e.g. 2024)</td></tr>
 *   <tr><td>json (MySQL), json (MariaDB: longtext with CHECK (json_valid(col)))</td><td>JSON</td><td>String</td></tr>
 *   <tr><td>binary(n), varbinary(n), tinyblob, blob, mediumblob, longblob</td><td>BYTES</td><td>byte[]
 *       (binary(n) right-padded with 0x00 to n bytes, as MySQL stores it)</td></tr>
 * </table>
 *
 * <p>{@code time}: MySQL's TIME is a duration from -838:59:59 to 838:59:59, while TIME_MICROS (Avro
 * {@code time-micros}) is a time of day. Values from 00:00:00 to 23:59:59.999999 map to µs since midnight; a
 * negative value or one of 24 hours or more becomes an {@link io.tributary.schema.InvalidValue} (never wrapped or
 * clamped), so a column used for durations is caught by the pipeline's {@code errors.mode} instead of being
 * silently altered.
 *
 * <p>Zero dates ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}, and dates with a zero month or day, which MariaDB
 * and older MySQL accept in their default SQL mode): see {@link MySqlZeroDateConverter}. In a {@code NOT NULL}
 * column, and in any {@code timestamp} column read from the binlog, they become an
 * {@link io.tributary.schema.InvalidValue}; in a nullable {@code date} or {@code datetime} column (and a nullable
 * {@code timestamp} read by a snapshot) Debezium and Flink CDC deliver them as NULL, which cannot be told apart from
 * a real NULL.
 *
 * <p>Not mapped (discovery reports a problem naming the table, column and type; the column is never dropped
 * silently): spatial types (geometry, point, linestring, polygon, multi*, geometrycollection), MariaDB's
 * {@code uuid}, {@code inet4} and {@code inet6}, and any other type.
 */
public final class MySqlTypeMapping {
  /** The SQL type names that map, as listed in problems about unmapped types. */
  public static final String SUPPORTED =
      "tinyint, smallint, mediumint, int, bigint (signed or unsigned), decimal(p,s), float, double, bit(n), char, "
          + "varchar, tinytext, text, mediumtext, longtext, enum, set, date, datetime, timestamp, time, year, json, "
          + "binary, varbinary, tinyblob, blob, mediumblob, longblob";

  /** Precision of {@code bigint unsigned} as a decimal: 18446744073709551615 has 20 digits. */
  public static final int UNSIGNED_BIGINT_PRECISION = 20;

  private static final Pattern BIT_LENGTH = Pattern.compile("bit\\((\\d+)\\)");

  private MySqlTypeMapping() {}

  /**
   * Maps one column.
   *
   * @param column the column name
   * @param dataType {@code information_schema.COLUMNS.DATA_TYPE}, for example {@code int}, {@code decimal},
   *     {@code longtext} (any case)
   * @param columnType {@code information_schema.COLUMNS.COLUMN_TYPE}, for example {@code tinyint(1)},
   *     {@code bigint(20) unsigned}, {@code decimal(10,2)} (any case); kept as {@link Column#sourceType()} and
   *     quoted in messages
   * @param nullable whether the column admits NULL
   * @param numericPrecision {@code NUMERIC_PRECISION}, used for decimals; may be null for other types
   * @param numericScale {@code NUMERIC_SCALE}, used for decimals; may be null for other types
   * @param jsonChecked whether the column carries MariaDB's JSON constraint {@code CHECK (json_valid(col))}, which
   *     is how MariaDB declares a {@code json} column (its type is {@code longtext})
   * @return the mapped column, never null
   * @throws UnmappedTypeException if Tributary does not map the type; its message says why and lists what is
   *     supported
   */
  public static Column map(
      String column,
      String dataType,
      String columnType,
      boolean nullable,
      Integer numericPrecision,
      Integer numericScale,
      boolean jsonChecked)
      throws UnmappedTypeException {
    String type = dataType.toLowerCase(Locale.ROOT);
    String full = columnType.toLowerCase(Locale.ROOT);
    boolean unsigned = full.contains(" unsigned") || full.contains(" zerofill");
    switch (type) {
      case "tinyint":
        if (!unsigned && full.startsWith("tinyint(1)")) {
          return Column.of(column, ColumnKind.BOOLEAN, nullable, columnType);
        }
        return Column.of(column, ColumnKind.INT32, nullable, columnType);
      case "smallint":
      case "mediumint":
        return Column.of(column, ColumnKind.INT32, nullable, columnType);
      case "int":
      case "integer":
        return Column.of(column, unsigned ? ColumnKind.INT64 : ColumnKind.INT32, nullable, columnType);
      case "bigint":
        if (unsigned) {
          return new Column(column, ColumnKind.DECIMAL, nullable, UNSIGNED_BIGINT_PRECISION, 0, columnType);
        }
        return Column.of(column, ColumnKind.INT64, nullable, columnType);
      case "decimal":
      case "numeric":
        if (numericPrecision == null || numericScale == null || numericPrecision <= 0 || numericScale < 0
            || numericScale > numericPrecision) {
          throw new UnmappedTypeException(
              "has type '" + columnType + "' with precision " + numericPrecision + " and scale " + numericScale
                  + ", which Tributary does not map; declare it decimal(p,s) with 0 <= s <= p");
        }
        return new Column(column, ColumnKind.DECIMAL, nullable, numericPrecision, numericScale, columnType);
      case "float":
        return Column.of(column, ColumnKind.FLOAT32, nullable, columnType);
      case "double":
      case "double precision":
      case "real":
        return Column.of(column, ColumnKind.FLOAT64, nullable, columnType);
      case "bit":
        return Column.of(column, bitLength(full) == 1 ? ColumnKind.BOOLEAN : ColumnKind.BYTES, nullable, columnType);
      case "char":
      case "varchar":
      case "tinytext":
      case "text":
      case "mediumtext":
      case "longtext":
        if (jsonChecked) {
          return Column.of(column, ColumnKind.JSON, nullable, "json");
        }
        return Column.of(column, ColumnKind.STRING, nullable, columnType);
      case "enum":
      case "set":
        return Column.of(column, ColumnKind.STRING, nullable, columnType);
      case "date":
        return Column.of(column, ColumnKind.DATE, nullable, columnType);
      case "datetime":
        return Column.of(column, ColumnKind.TIMESTAMP_MICROS, nullable, columnType);
      case "timestamp":
        return Column.of(column, ColumnKind.TIMESTAMP_TZ_MICROS, nullable, columnType);
      case "time":
        return Column.of(column, ColumnKind.TIME_MICROS, nullable, columnType);
      case "year":
        return Column.of(column, ColumnKind.INT32, nullable, columnType);
      case "json":
        return Column.of(column, ColumnKind.JSON, nullable, columnType);
      case "binary":
      case "varbinary":
      case "tinyblob":
      case "blob":
      case "mediumblob":
      case "longblob":
        return Column.of(column, ColumnKind.BYTES, nullable, columnType);
      default:
        throw new UnmappedTypeException(
            "has type '" + columnType + "', which Tributary does not map; supported: " + SUPPORTED);
    }
  }

  /** The length of a {@code bit(n)} column type; 1 when the type carries none (MySQL's default). */
  static int bitLength(String columnType) {
    Matcher m = BIT_LENGTH.matcher(columnType.toLowerCase(Locale.ROOT));
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  /** Thrown by {@link #map} for a type Tributary does not map; the message completes "table t column c ...". */
  public static final class UnmappedTypeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the reason, starting with a verb: {@code has type 'point', which ...} */
    public UnmappedTypeException(String message) {
      super(message);
    }
  }
}
