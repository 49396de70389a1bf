package io.tributary.source.mysql;

import io.debezium.config.CommonConnectorConfig.BinaryHandlingMode;
import io.debezium.connector.mysql.MySqlValueConverters;
import io.debezium.jdbc.JdbcValueConverters.BigIntUnsignedMode;
import io.debezium.jdbc.JdbcValueConverters.DecimalMode;
import io.debezium.jdbc.TemporalPrecisionMode;
import io.debezium.relational.Column;
import io.debezium.relational.ValueConverter;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjuster;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A Debezium custom converter ({@code converters}) that makes MySQL's zero dates visible instead of letting them turn
 * into a plausible but wrong value. {@link MySqlSource} registers it for every job.
 *
 * <p>What Flink CDC 3.5 (Debezium 1.9.8) does with zero dates ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}, and
 * dates whose month or day is zero, e.g. {@code 2024-00-10}) without it:
 *
 * <ul>
 *   <li>Snapshot: Flink CDC reads {@code date} and {@code datetime} values as text, recognizes a zero year, month or
 *       day, logs a warning ("converted to empty value") and hands Debezium NULL; a zero {@code timestamp} reaches
 *       Debezium as NULL too (Connector/J runs with {@code zeroDateTimeBehavior=CONVERT_TO_NULL}).
 *   <li>Binlog: Debezium's row deserializers return NULL for a {@code date} or {@code datetime} with a zero year,
 *       month or day; a zero {@code timestamp} is stored as second 0 and arrives as 1970-01-01T00:00:00Z.
 *   <li>Debezium's value converters then write NULL for a nullable column, and for a {@code NOT NULL} column the
 *       column's default, or the epoch (1970-01-01, 1970-01-01T00:00:00Z) when it has none: a silently wrong value.
 *       Seen on MariaDB 10.11: {@code date NOT NULL} gave 1970-01-01 (with {@code DEFAULT '2000-01-01'}: 2000-01-01)
 *       in snapshot and binlog; {@code timestamp NOT NULL DEFAULT '2001-01-01 00:00:00'} gave 2001-01-01 in the
 *       snapshot and 1970-01-01T00:00:00Z from the binlog; nullable {@code date} and {@code timestamp} gave NULL in
 *       the snapshot, and from the binlog NULL and 1970-01-01T00:00:00Z; {@code 2024-00-10} gave NULL.
 * </ul>
 *
 * <p>This converter keeps Debezium's own representation for every valid value (it delegates to the same
 * {@link MySqlValueConverters} settings Tributary fixes: adaptive_time_microseconds, so {@code date} as
 * {@code io.debezium.time.Date}, {@code datetime(0..3)} as {@code io.debezium.time.Timestamp},
 * {@code datetime(4..6)} as {@code io.debezium.time.MicroTimestamp}, {@code timestamp} as
 * {@code io.debezium.time.ZonedTimestamp}) and replaces only what can only be a zero date by a marker no valid value
 * takes, which {@link MySqlChangeEventDeserializer} turns into an {@link io.tributary.schema.InvalidValue}:
 *
 * <ul>
 *   <li>{@code date NOT NULL} without a value: {@link #ZERO_DATE} (a NOT NULL column has no other way to arrive
 *       without a value; with {@code binlog_row_image=FULL}, which discovery requires, every column is in the row);
 *   <li>{@code datetime NOT NULL} without a value: {@link #ZERO_DATETIME};
 *   <li>{@code timestamp} at second 0 (binlog; MySQL's TIMESTAMP range starts at 1970-01-01 00:00:01 UTC, second 0
 *       is its zero value), or {@code timestamp NOT NULL} without a value (snapshot): {@link #ZERO_TIMESTAMP}.
 * </ul>
 *
 * <p>Nullable {@code date} and {@code datetime} columns are left to Debezium: their zero dates arrive as NULL, as
 * does a zero in a nullable {@code timestamp} read by a snapshot; nothing in the record tells such a NULL from a
 * real one. Properties: {@code enable.time.adjuster} (default true), as Debezium's option of that name.
 */
public final class MySqlZeroDateConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
  /** Marker for a zero {@code date} ({@code io.debezium.time.Date} days): no valid date is 2^31 days before 1970. */
  public static final int ZERO_DATE = Integer.MIN_VALUE;

  /** Marker for a zero {@code datetime} (epoch ms or µs): no valid datetime is that far before 1970. */
  public static final long ZERO_DATETIME = Long.MIN_VALUE;

  /** Marker for a zero {@code timestamp} (as {@code io.debezium.time.ZonedTimestamp} text, ISO-8601 otherwise). */
  public static final String ZERO_TIMESTAMP = "0000-00-00 00:00:00";

  private MySqlValueConverters delegate;

  /** Public no-argument constructor: Debezium instantiates converters by class name. */
  public MySqlZeroDateConverter() {}

  @Override
  public void configure(Properties props) {
    boolean adjust = !"false".equalsIgnoreCase(props.getProperty("enable.time.adjuster", "true").trim());
    TemporalAdjuster adjuster = adjust ? MySqlValueConverters::adjustTemporal : t -> t;
    delegate =
        new MySqlValueConverters(
            DecimalMode.PRECISE,
            TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            BigIntUnsignedMode.PRECISE,
            BinaryHandlingMode.BYTES,
            adjuster,
            MySqlValueConverters::defaultParsingErrorHandler);
  }

  @Override
  public void converterFor(RelationalColumn field, ConverterRegistration<SchemaBuilder> registration) {
    String type = field.typeName() == null ? "" : field.typeName().toUpperCase(Locale.ROOT);
    boolean timestamp = type.equals("TIMESTAMP");
    boolean dateOrDatetime = type.equals("DATE") || type.equals("DATETIME");
    if (!timestamp && !(dateOrDatetime && !field.isOptional())) {
      return; // Debezium's own conversion
    }
    if (delegate == null) {
      configure(new Properties());
    }
    Column column =
        Column.editor()
            .name(field.name())
            .type(field.typeName(), field.typeExpression())
            .jdbcType(field.jdbcType())
            .nativeType(field.nativeType())
            .length(field.length().orElse(Column.UNSET_INT_VALUE))
            .scale(field.scale().isPresent() ? field.scale().getAsInt() : null)
            .optional(field.isOptional())
            .create();
    SchemaBuilder schema = delegate.schemaBuilder(column);
    SchemaBuilder forField = delegate.schemaBuilder(column);
    if (schema == null || forField == null) {
      return;
    }
    ValueConverter converter = delegate.converter(column, new Field(field.name(), 0, forField.build()));
    if (converter == null) {
      return;
    }
    Object zero = timestamp ? ZERO_TIMESTAMP : type.equals("DATE") ? (Object) ZERO_DATE : (Object) ZERO_DATETIME;
    boolean optional = field.isOptional();
    registration.register(
        schema,
        raw -> {
          if (raw == null) {
            return optional ? null : zero;
          }
          if (timestamp && isEpochZero(raw)) {
            return zero;
          }
          return converter.convert(raw);
        });
  }

  /** Whether a binlog or JDBC timestamp value is second 0 exactly (MySQL's zero TIMESTAMP). */
  static boolean isEpochZero(Object raw) {
    if (raw instanceof ZonedDateTime) {
      return ((ZonedDateTime) raw).toInstant().equals(Instant.EPOCH);
    }
    if (raw instanceof OffsetDateTime) {
      return ((OffsetDateTime) raw).toInstant().equals(Instant.EPOCH);
    }
    if (raw instanceof Instant) {
      return raw.equals(Instant.EPOCH);
    }
    if (raw instanceof java.sql.Timestamp) {
      return ((java.sql.Timestamp) raw).getTime() == 0L && ((java.sql.Timestamp) raw).getNanos() == 0;
    }
    return false;
  }
}
