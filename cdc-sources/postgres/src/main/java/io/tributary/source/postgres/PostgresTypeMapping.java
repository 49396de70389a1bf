package io.tributary.source.postgres;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import java.util.Map;

/**
 * Maps PostgreSQL column types to Tributary {@link ColumnKind}s. Types are identified by their {@code pg_type}
 * name ({@code typname}) in {@code pg_catalog}; a type defined in any other schema (enums, domains, extension types
 * such as {@code citext} or {@code hstore}) is not mapped.
 *
 * <table>
 *   <caption>PostgreSQL types and the kinds they map to</caption>
 *   <tr><th>PostgreSQL type (pg_type name)</th><th>kind</th><th>value in a change event</th></tr>
 *   <tr><td>smallint (int2), smallserial, integer (int4), serial</td><td>INT32</td><td>Integer</td></tr>
 *   <tr><td>bigint (int8), bigserial</td><td>INT64</td><td>Long</td></tr>
 *   <tr><td>numeric(p,s) / decimal(p,s) with 0 &lt;= s &lt;= p</td><td>DECIMAL(p,s)</td>
 *       <td>BigDecimal with scale s</td></tr>
 *   <tr><td>real (float4)</td><td>FLOAT32</td><td>Float</td></tr>
 *   <tr><td>double precision (float8)</td><td>FLOAT64</td><td>Double</td></tr>
 *   <tr><td>boolean (bool)</td><td>BOOLEAN</td><td>Boolean</td></tr>
 *   <tr><td>text, varchar(n), char(n) (bpchar)</td><td>STRING</td><td>String (char(n) blank-padded)</td></tr>
 *   <tr><td>date</td><td>DATE</td><td>Integer, days since 1970-01-01</td></tr>
 *   <tr><td>time [(p)] without time zone</td><td>TIME_MICROS</td><td>Long, µs since midnight (snapshot rows:
 *       milliseconds only, see below)</td></tr>
 *   <tr><td>timestamp [(p)] without time zone</td><td>TIMESTAMP_MICROS</td><td>Long, µs of the local date-time</td></tr>
 *   <tr><td>timestamp [(p)] with time zone (timestamptz)</td><td>TIMESTAMP_TZ_MICROS</td><td>Long, µs since the
 *       epoch (UTC)</td></tr>
 *   <tr><td>uuid</td><td>UUID</td><td>String</td></tr>
 *   <tr><td>json, jsonb</td><td>JSON</td><td>String</td></tr>
 *   <tr><td>bytea</td><td>BYTES</td><td>byte[]</td></tr>
 * </table>
 *
 * <p>Precision caveat: Flink CDC 3.5 reads snapshot rows with {@code ResultSet.getObject}, which returns
 * {@code java.sql.Time} for {@code time}: snapshot rows ({@code op=r}) of {@code time} columns are truncated to
 * milliseconds, while changes from the log keep microseconds. Discovery warns about such columns. {@code timestamp}
 * and {@code timestamptz} keep microseconds on both paths.
 *
 * <p>Not mapped (discovery reports a problem, the column is never dropped silently): {@code numeric} without a
 * precision (Avro's decimal needs a fixed precision and scale, and Debezium emits such columns with a per-value
 * scale; declare the column {@code numeric(p,s)}), {@code numeric} with a negative scale or a scale above the
 * precision (PostgreSQL 15+), arrays, {@code interval}, {@code money}, {@code timetz}, bit strings, network
 * address types, geometric types, ranges, {@code xml}, {@code tsvector}, enums, domains, composite types and
 * extension types.
 */
public final class PostgresTypeMapping {
  /** The SQL type names that map, as listed in problems about unmapped types. */
  public static final String SUPPORTED =
      "smallint, integer, serial, bigint, bigserial, numeric(p,s), real, double precision, boolean, text, "
          + "varchar(n), char(n), date, time, timestamp, timestamptz, uuid, json, jsonb, bytea";

  private static final Map<String, ColumnKind> BY_TYPE_NAME =
      Map.ofEntries(
          Map.entry("int2", ColumnKind.INT32),
          Map.entry("int4", ColumnKind.INT32),
          Map.entry("int8", ColumnKind.INT64),
          Map.entry("numeric", ColumnKind.DECIMAL),
          Map.entry("float4", ColumnKind.FLOAT32),
          Map.entry("float8", ColumnKind.FLOAT64),
          Map.entry("bool", ColumnKind.BOOLEAN),
          Map.entry("text", ColumnKind.STRING),
          Map.entry("varchar", ColumnKind.STRING),
          Map.entry("bpchar", ColumnKind.STRING),
          Map.entry("date", ColumnKind.DATE),
          Map.entry("time", ColumnKind.TIME_MICROS),
          Map.entry("timestamp", ColumnKind.TIMESTAMP_MICROS),
          Map.entry("timestamptz", ColumnKind.TIMESTAMP_TZ_MICROS),
          Map.entry("uuid", ColumnKind.UUID),
          Map.entry("json", ColumnKind.JSON),
          Map.entry("jsonb", ColumnKind.JSON),
          Map.entry("bytea", ColumnKind.BYTES));

  private PostgresTypeMapping() {}

  /**
   * Maps one column.
   *
   * @param column the column name
   * @param typeName the {@code pg_type.typname} for types in {@code pg_catalog} ({@code int4}, {@code numeric},
   *     {@code _int4} for {@code integer[]}), or {@code schema.typname} for types defined elsewhere
   * @param typmod {@code pg_attribute.atttypmod} (-1 when the type has no modifier); used for numeric precision
   *     and scale
   * @param nullable whether the column admits NULL
   * @param displayType the type as PostgreSQL prints it ({@code format_type(atttypid, atttypmod)}, for example
   *     {@code numeric(10,2)}); kept as {@link Column#sourceType()} and quoted in messages
   * @return the mapped column, never null
   * @throws UnmappedTypeException if Tributary does not map the type; its message says why and lists what is
   *     supported
   */
  public static Column map(String column, String typeName, int typmod, boolean nullable, String displayType)
      throws UnmappedTypeException {
    ColumnKind kind = BY_TYPE_NAME.get(typeName);
    if (kind == null) {
      throw new UnmappedTypeException(
          "has type '" + displayType + "', which Tributary does not map; supported: " + SUPPORTED);
    }
    if (kind != ColumnKind.DECIMAL) {
      return Column.of(column, kind, nullable, displayType);
    }
    if (typmod < 4) {
      throw new UnmappedTypeException(
          "has type '" + displayType + "' without precision and scale, which Tributary does not map (an Avro "
              + "decimal needs a fixed precision and scale); declare it numeric(p,s)");
    }
    int precision = numericPrecision(typmod);
    int scale = numericScale(typmod);
    if (scale < 0 || scale > precision) {
      throw new UnmappedTypeException(
          "has type '" + displayType + "' with scale " + scale + " outside 0.." + precision
              + ", which Tributary does not map; declare it numeric(p,s) with 0 <= s <= p");
    }
    return new Column(column, ColumnKind.DECIMAL, nullable, precision, scale, displayType);
  }

  /** Whether a {@code pg_type} name (as passed to {@link #map}) maps to a kind, ignoring type modifiers. */
  public static boolean isMapped(String typeName) {
    return BY_TYPE_NAME.containsKey(typeName);
  }

  /** The precision encoded in a numeric type modifier (PostgreSQL: {@code ((typmod - 4) >> 16) & 0xffff}). */
  static int numericPrecision(int typmod) {
    return ((typmod - 4) >> 16) & 0xffff;
  }

  /**
   * The scale encoded in a numeric type modifier: the low 11 bits of {@code typmod - 4}, sign-extended
   * (PostgreSQL 15+ allows scales from -1000 to 1000; older servers only 0..precision).
   */
  static int numericScale(int typmod) {
    return (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
  }

  /** Thrown by {@link #map} for a type Tributary does not map; the message completes "table t column c ...". */
  public static final class UnmappedTypeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the reason, starting with a verb: {@code has type 'interval', which ...} */
    public UnmappedTypeException(String message) {
      super(message);
    }
  }
}
