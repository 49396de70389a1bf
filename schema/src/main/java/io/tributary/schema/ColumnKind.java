package io.tributary.schema;

/**
 * The logical type of a column after mapping from the source database's type, and the Java class its values
 * take inside a {@link ChangeEvent} (chosen to equal the physical value of the matching Avro type, so that
 * conversion is a copy).
 *
 * <table>
 *   <caption>Kinds, Java values and Avro types</caption>
 *   <tr><th>kind</th><th>Java value</th><th>Avro</th></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td><td>boolean</td></tr>
 *   <tr><td>INT32</td><td>Integer</td><td>int (also for 16-bit source ints)</td></tr>
 *   <tr><td>INT64</td><td>Long</td><td>long</td></tr>
 *   <tr><td>FLOAT32</td><td>Float</td><td>float</td></tr>
 *   <tr><td>FLOAT64</td><td>Double</td><td>double</td></tr>
 *   <tr><td>DECIMAL</td><td>java.math.BigDecimal with the column's scale</td><td>bytes, logicalType decimal(p,s)</td></tr>
 *   <tr><td>STRING</td><td>String</td><td>string</td></tr>
 *   <tr><td>UUID</td><td>String (canonical 36-char form)</td><td>string, logicalType uuid</td></tr>
 *   <tr><td>JSON</td><td>String (the JSON text)</td><td>string (connect.name io.debezium.data.Json)</td></tr>
 *   <tr><td>BYTES</td><td>byte[]</td><td>bytes</td></tr>
 *   <tr><td>DATE</td><td>Integer, days since 1970-01-01</td><td>int, logicalType date</td></tr>
 *   <tr><td>TIME_MICROS</td><td>Long, microseconds since midnight</td><td>long, logicalType time-micros</td></tr>
 *   <tr><td>TIMESTAMP_MICROS</td><td>Long, microseconds since 1970-01-01T00:00 of a local date-time (no zone)</td>
 *       <td>long, logicalType local-timestamp-micros</td></tr>
 *   <tr><td>TIMESTAMP_TZ_MICROS</td><td>Long, microseconds since the epoch in UTC</td>
 *       <td>long, logicalType timestamp-micros</td></tr>
 * </table>
 */
public enum ColumnKind {
  BOOLEAN,
  INT32,
  INT64,
  FLOAT32,
  FLOAT64,
  DECIMAL,
  STRING,
  UUID,
  JSON,
  BYTES,
  DATE,
  TIME_MICROS,
  TIMESTAMP_MICROS,
  TIMESTAMP_TZ_MICROS;

  private static final String ZERO_UUID = "00000000-0000-0000-0000-000000000000";

  /**
   * The zero value of this kind, in the Java class the table above gives: false, 0, 0L, 0.0, a zero decimal at
   * {@code scale}, "", the nil UUID, an empty byte array. It stands in for a NOT NULL column that a before-image
   * lacks (Debezium writes a required field's default the same way).
   *
   * @param scale the decimal scale (ignored for other kinds)
   */
  public Object zero(int scale) {
    switch (this) {
      case BOOLEAN:
        return Boolean.FALSE;
      case INT32:
      case DATE:
        return 0;
      case INT64:
      case TIME_MICROS:
      case TIMESTAMP_MICROS:
      case TIMESTAMP_TZ_MICROS:
        return 0L;
      case FLOAT32:
        return 0f;
      case FLOAT64:
        return 0d;
      case DECIMAL:
        return java.math.BigDecimal.ZERO.setScale(scale);
      case UUID:
        return ZERO_UUID;
      case BYTES:
        return new byte[0];
      default:
        return "";
    }
  }
}
