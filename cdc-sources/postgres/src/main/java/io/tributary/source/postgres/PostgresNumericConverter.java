package io.tributary.source.postgres;

import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A Debezium custom converter that hands PostgreSQL {@code numeric} values on as text, so that the special values
 * {@code NaN}, {@code Infinity} and {@code -Infinity} reach Tributary as such. Debezium's own precise decimal
 * handling turns them into null (with an ERROR log) in a nullable column and fails the source in a NOT NULL one,
 * whatever {@code errors.mode} says; as text, {@link DebeziumValues} makes them an {@link
 * io.tributary.schema.InvalidValue} ("NaN is not a decimal number") and the validate stage applies
 * {@code errors.mode}. Finite values are written in plain notation and parsed back without loss.
 *
 * <p>Primary key columns keep Debezium's own representation (property {@code skip}: comma-separated
 * {@code schema.table.column} names): Flink CDC compares record keys with the snapshot chunk boundaries it reads over
 * JDBC, which are decimals.
 */
public final class PostgresNumericConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
  /** The converter's name in Debezium's {@code converters} property. */
  static final String NAME = "tributarynumeric";

  private final Set<String> skip = new HashSet<>();

  @Override
  public void configure(Properties props) {
    String list = props.getProperty("skip", "");
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        skip.add(s.trim());
      }
    }
  }

  @Override
  public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    String type = column.typeName();
    if (!"numeric".equalsIgnoreCase(type) && !"decimal".equalsIgnoreCase(type)) {
      return;
    }
    String full = column.dataCollection() + "." + column.name();
    for (String s : skip) {
      if (full.equals(s) || full.endsWith("." + s)) {
        return; // data collections may or may not carry the database name
      }
    }
    registration.register(SchemaBuilder.string().optional(), PostgresNumericConverter::text);
  }

  /** Plain-notation text of a numeric value; {@code NaN}, {@code Infinity}, {@code -Infinity} for the special ones. */
  static Object text(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof BigDecimal) {
      return ((BigDecimal) raw).toPlainString();
    }
    if (raw instanceof SpecialValueDecimal) {
      SpecialValueDecimal s = (SpecialValueDecimal) raw;
      if (s.getDecimalValue().isPresent()) {
        return s.getDecimalValue().get().toPlainString();
      }
      String n = s.toString();
      return n.equals("NAN") ? "NaN" : n.startsWith("NEG") ? "-Infinity" : "Infinity";
    }
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      return BigDecimal.valueOf(d).toPlainString();
    }
    return raw.toString();
  }
}
