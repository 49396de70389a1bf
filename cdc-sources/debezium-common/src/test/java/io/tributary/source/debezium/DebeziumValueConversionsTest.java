package io.tributary.source.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.NanoTime;
import io.debezium.time.NanoTimestamp;
import io.debezium.time.ZonedTimestamp;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class DebeziumValueConversionsTest {
  private static final Column PRICE = new Column("price", ColumnKind.DECIMAL, true, 6, 2, "numeric(6,2)");

  private static Schema named(Schema base, String name) {
    return (base.type() == Schema.Type.INT64 ? SchemaBuilder.int64() : base.type() == Schema.Type.INT32
        ? SchemaBuilder.int32() : SchemaBuilder.string()).name(name).optional().build();
  }

  @Test
  void integralNumbersWidenAndNarrowExactly() {
    Column i32 = Column.of("n", ColumnKind.INT32, true, "integer");
    Column i64 = Column.of("n", ColumnKind.INT64, true, "bigint");
    assertThat(DebeziumValueConversions.convert(i32, Schema.OPTIONAL_INT16_SCHEMA, (short) -7)).isEqualTo(-7);
    assertThat(DebeziumValueConversions.convert(i64, Schema.OPTIONAL_INT32_SCHEMA, 42)).isEqualTo(42L);
    assertThatThrownBy(() -> DebeziumValueConversions.convert(i32, Schema.OPTIONAL_INT64_SCHEMA, 1L << 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("column n (integer, kind INT32): cannot convert Long value: ");
    assertThatThrownBy(() -> DebeziumValueConversions.integral(1.5d))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("java.lang.Double is not an integral number");
  }

  @Test
  void decimalsKeepTheColumnScaleAndRefuseWhatDoesNotFit() {
    assertThat(DebeziumValueConversions.convert(PRICE, null, new BigDecimal("12.5")))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(DebeziumValueConversions.decimal(PRICE, "-3.1")).isEqualTo(new BigDecimal("-3.10"));
    assertThatThrownBy(() -> DebeziumValueConversions.convert(PRICE, null, new BigDecimal("1.234")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rounding necessary");
    assertThatThrownBy(() -> DebeziumValueConversions.convert(PRICE, null, new BigDecimal("12345.6")))
        .hasMessageContaining("12345.60 has more than 6 digits");
    for (String special : new String[] {"NaN", "Infinity", "-Infinity"}) {
      assertThatThrownBy(() -> DebeziumValueConversions.convert(PRICE, null, special))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(special + " is not a decimal number (Avro decimal(6,2) cannot hold it)");
    }
    assertThatThrownBy(() -> DebeziumValueConversions.decimal(PRICE, 5L))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("decimal.handling.mode=precise");
  }

  @Test
  void bytesAreCopiedFromArraysAndBuffers() {
    byte[] source = {1, 2, 3};
    byte[] copy = DebeziumValueConversions.bytes(source);
    assertThat(copy).containsExactly(1, 2, 3).isNotSameAs(source);
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {9, 8, 7});
    buf.get();
    assertThat(DebeziumValueConversions.bytes(buf)).containsExactly(8, 7);
    assertThat(buf.position()).isEqualTo(1);
    assertThatThrownBy(() -> DebeziumValueConversions.bytes("x")).isInstanceOf(ClassCastException.class);
  }

  @Test
  void datesAreDaysSinceTheEpoch() {
    int day = (int) LocalDate.of(2024, 2, 29).toEpochDay();
    assertThat(DebeziumValueConversions.date(day)).isEqualTo(day);
    assertThat(DebeziumValueConversions.date(new java.util.Date(day * 86_400_000L))).isEqualTo(day);
    assertThat(DebeziumValueConversions.date(new java.util.Date(-1L))).isEqualTo(-1); // floor, not truncation
  }

  @Test
  void timesAndTimestampsFollowTheSemanticType() {
    assertThat(DebeziumValueConversions.timeMicros(MicroTime.SCHEMA_NAME, 3_600_000_000L)).isEqualTo(3_600_000_000L);
    assertThat(DebeziumValueConversions.timeMicros(NanoTime.SCHEMA_NAME, 1_999L)).isEqualTo(1L);
    assertThat(DebeziumValueConversions.timeMicros(io.debezium.time.Time.SCHEMA_NAME, 5)).isEqualTo(5_000L);
    assertThatThrownBy(() -> DebeziumValueConversions.timeMicros("other", 1L))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("unexpected time representation other");

    assertThat(DebeziumValueConversions.timestampMicros(MicroTimestamp.SCHEMA_NAME, 17L)).isEqualTo(17L);
    assertThat(DebeziumValueConversions.timestampMicros(NanoTimestamp.SCHEMA_NAME, -1L)).isEqualTo(-1L);
    assertThat(DebeziumValueConversions.timestampMicros(io.debezium.time.Timestamp.SCHEMA_NAME, 2L)).isEqualTo(2_000L);
    assertThat(DebeziumValueConversions.timestampMicros(null, new java.util.Date(3L))).isEqualTo(3_000L);

    Column ts = Column.of("at", ColumnKind.TIMESTAMP_MICROS, true, "timestamp");
    Schema nanos = named(Schema.INT64_SCHEMA, NanoTimestamp.SCHEMA_NAME);
    assertThat(DebeziumValueConversions.convert(ts, nanos, 1_500_000L)).isEqualTo(1_500L);
    assertThatThrownBy(() -> DebeziumValueConversions.convert(ts, Schema.OPTIONAL_INT64_SCHEMA, 1L))
        .hasMessage("column at (timestamp, kind TIMESTAMP_MICROS): cannot convert Long value: "
            + "unexpected timestamp representation null");
  }

  @Test
  void zonedTimestampsAreIsoTextWithAnOffset() {
    long expected = Instant.parse("2024-03-01T10:00:00.123456Z").toEpochMilli() * 1000 + 456;
    assertThat(DebeziumValueConversions.zonedTimestampMicros("2024-03-01T12:00:00.123456789+02:00"))
        .isEqualTo(expected);
    Column tz = Column.of("at", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamptz");
    Schema zoned = named(Schema.STRING_SCHEMA, ZonedTimestamp.SCHEMA_NAME);
    assertThatThrownBy(() -> DebeziumValueConversions.convert(tz, zoned, "yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "column at (timestamptz, kind TIMESTAMP_TZ_MICROS): cannot convert String value of type "
                + ZonedTimestamp.SCHEMA_NAME + ": ");
    assertThatThrownBy(() -> DebeziumValueConversions.zonedTimestampMicros(5L))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("is not a " + ZonedTimestamp.SCHEMA_NAME);
  }

  @Test
  void otherKindsAndNull() {
    assertThat(DebeziumValueConversions.convert(PRICE, null, null)).isNull();
    assertThat(DebeziumValueConversions.convert(Column.of("b", ColumnKind.BOOLEAN, true, "boolean"), null, true))
        .isEqualTo(true);
    assertThat(DebeziumValueConversions.convert(Column.of("f", ColumnKind.FLOAT32, true, "real"), null, 1.5d))
        .isEqualTo(1.5f);
    assertThat(DebeziumValueConversions.convert(Column.of("s", ColumnKind.JSON, true, "jsonb"), null, "{}"))
        .isEqualTo("{}");
    assertThatThrownBy(
            () -> DebeziumValueConversions.convert(Column.of("s", ColumnKind.STRING, true, "text"), null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("column s (text, kind STRING): ");
  }

  @Test
  void rawTextIsBase64ForBytesAndToStringOtherwise() {
    assertThat(DebeziumValueConversions.rawText(new byte[] {(byte) 0xff, 0})).isEqualTo("/wA=");
    assertThat(DebeziumValueConversions.rawText(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}))).isEqualTo("/wA=");
    assertThat(DebeziumValueConversions.rawText(new BigDecimal("1.50"))).isEqualTo("1.50");
    assertThat(DebeziumValueConversions.rawText(null)).isNull();
  }
}
