package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.ZonedTimestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The converter with Debezium's own MySQL value converters behind it, on columns as Debezium describes them. */
class MySqlZeroDateConverterTest {

  /** What a registration received: the field schema and the converter, or nothing. */
  private static final class Registered implements CustomConverter.ConverterRegistration<SchemaBuilder> {
    SchemaBuilder schema;
    CustomConverter.Converter converter;

    @Override
    public void register(SchemaBuilder fieldSchema, CustomConverter.Converter converter) {
      this.schema = fieldSchema;
      this.converter = converter;
    }
  }

  private static RelationalColumn column(String type, int jdbcType, Integer length, boolean optional) {
    return new RelationalColumn() {
      @Override
      public String name() {
        return "c";
      }

      @Override
      public String dataCollection() {
        return "shop.t";
      }

      @Override
      public String typeName() {
        return type;
      }

      @Override
      public String typeExpression() {
        return type;
      }

      @Override
      public int jdbcType() {
        return jdbcType;
      }

      @Override
      public int nativeType() {
        return -1;
      }

      @Override
      public OptionalInt length() {
        return length == null ? OptionalInt.empty() : OptionalInt.of(length);
      }

      @Override
      public OptionalInt scale() {
        return OptionalInt.empty();
      }

      @Override
      public boolean isOptional() {
        return optional;
      }

      @Override
      public Object defaultValue() {
        return null;
      }

      @Override
      public boolean hasDefaultValue() {
        return false;
      }
    };
  }

  private static Registered register(RelationalColumn column) {
    MySqlZeroDateConverter converter = new MySqlZeroDateConverter();
    converter.configure(new Properties());
    Registered r = new Registered();
    converter.converterFor(column, r);
    return r;
  }

  @Test
  void notNullDateKeepsDebeziumsValuesAndMarksMissingOnes() {
    Registered r = register(column("DATE", Types.DATE, null, false));
    assertThat(r.schema.name()).isEqualTo(io.debezium.time.Date.SCHEMA_NAME);
    assertThat(r.converter.convert(LocalDate.of(2024, 2, 29))).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    assertThat(r.converter.convert(null)).isEqualTo(MySqlZeroDateConverter.ZERO_DATE);
  }

  @Test
  void notNullDatetimeKeepsPrecisionAndMarksMissingOnes() {
    Registered micros = register(column("DATETIME", Types.TIMESTAMP, 6, false));
    assertThat(micros.schema.name()).isEqualTo(MicroTimestamp.SCHEMA_NAME);
    LocalDateTime t = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
    assertThat(micros.converter.convert(t)).isEqualTo(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L);
    assertThat(micros.converter.convert(null)).isEqualTo(MySqlZeroDateConverter.ZERO_DATETIME);

    Registered millis = register(column("DATETIME", Types.TIMESTAMP, null, false));
    assertThat(millis.schema.name()).isEqualTo(io.debezium.time.Timestamp.SCHEMA_NAME);
    assertThat(millis.converter.convert(t)).isEqualTo(t.toEpochSecond(ZoneOffset.UTC) * 1000L + 123L);
  }

  @Test
  void nullableDateAndDatetimeAreLeftToDebezium() {
    assertThat(register(column("DATE", Types.DATE, null, true)).converter).isNull();
    assertThat(register(column("DATETIME", Types.TIMESTAMP, 6, true)).converter).isNull();
    assertThat(register(column("TIME", Types.TIME, 6, false)).converter).isNull();
    assertThat(register(column("INT", Types.INTEGER, null, false)).converter).isNull();
  }

  @Test
  void timestampAtSecondZeroIsTheZeroTimestamp() {
    Registered r = register(column("TIMESTAMP", Types.TIMESTAMP_WITH_TIMEZONE, 3, true));
    assertThat(r.schema.name()).isEqualTo(ZonedTimestamp.SCHEMA_NAME);
    assertThat(r.converter.convert(ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000, ZoneOffset.UTC)))
        .isEqualTo("2024-01-02T03:04:05.123Z");
    assertThat(r.converter.convert(ZonedDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC)))
        .isEqualTo(MySqlZeroDateConverter.ZERO_TIMESTAMP);
    assertThat(r.converter.convert(ZonedDateTime.ofInstant(Instant.ofEpochSecond(1), ZoneOffset.UTC)))
        .isEqualTo("1970-01-01T00:00:01Z");
    assertThat(r.converter.convert(null)).as("nullable: a NULL stays NULL").isNull();

    Registered notNull = register(column("TIMESTAMP", Types.TIMESTAMP_WITH_TIMEZONE, null, false));
    assertThat(notNull.converter.convert(null)).isEqualTo(MySqlZeroDateConverter.ZERO_TIMESTAMP);
  }
}
