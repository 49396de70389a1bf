package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.debezium.data.Uuid;
import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.NanoTimestamp;
import io.debezium.time.ZonedTimestamp;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Converts records built with the real (relocated) Kafka Connect data classes and Debezium's envelope and semantic
 * types, shaped as Debezium's PostgreSQL connector emits them with Tributary's settings.
 */
class PostgresChangeEventDeserializerTest {
  private static final TableId TABLE = new TableId("shop", "public", "all_types");

  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("postgres_cdc_source.public.all_types.Value")
          .field("id", Schema.INT64_SCHEMA)
          .field("small", Schema.OPTIONAL_INT16_SCHEMA)
          .field("i", Schema.OPTIONAL_INT32_SCHEMA)
          .field("price", Decimal.builder(2).optional().parameter("connect.decimal.precision", "10").build())
          .field("f4", Schema.OPTIONAL_FLOAT32_SCHEMA)
          .field("f8", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("day", io.debezium.time.Date.builder().optional().build())
          .field("at_time", MicroTime.builder().optional().build())
          .field("ts", MicroTimestamp.builder().optional().build())
          .field("ts_millis", io.debezium.time.Timestamp.builder().optional().build())
          .field("ts_nanos", NanoTimestamp.builder().optional().build())
          .field("tstz", ZonedTimestamp.builder().optional().build())
          .field("uid", Uuid.builder().optional().build())
          .field("doc", Json.builder().optional().build())
          .field("bin", Schema.OPTIONAL_BYTES_SCHEMA)
          .build();

  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("postgres_cdc_source.public.all_types.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private static final Schema KEY =
      SchemaBuilder.struct().name("postgres_cdc_source.public.all_types.Key").field("id", Schema.INT64_SCHEMA).build();

  private static final LocalDateTime LOCAL = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
  private static final long LOCAL_MICROS = LOCAL.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L;

  private final PostgresChangeEventDeserializer deserializer =
      new PostgresChangeEventDeserializer("shop-orders", List.of(allTypes()));

  static TableSchema allTypes() {
    return new TableSchema(
        TABLE,
        List.of(
            Column.of("id", ColumnKind.INT64, false, "bigint"),
            Column.of("small", ColumnKind.INT32, true, "smallint"),
            Column.of("i", ColumnKind.INT32, true, "integer"),
            new Column("price", ColumnKind.DECIMAL, true, 10, 2, "numeric(10,2)"),
            Column.of("f4", ColumnKind.FLOAT32, true, "real"),
            Column.of("f8", ColumnKind.FLOAT64, true, "double precision"),
            Column.of("flag", ColumnKind.BOOLEAN, true, "boolean"),
            Column.of("name", ColumnKind.STRING, true, "text"),
            Column.of("day", ColumnKind.DATE, true, "date"),
            Column.of("at_time", ColumnKind.TIME_MICROS, true, "time without time zone"),
            Column.of("ts", ColumnKind.TIMESTAMP_MICROS, true, "timestamp without time zone"),
            Column.of("ts_millis", ColumnKind.TIMESTAMP_MICROS, true, "timestamp(3) without time zone"),
            Column.of("ts_nanos", ColumnKind.TIMESTAMP_MICROS, true, "timestamp without time zone"),
            Column.of("tstz", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamp with time zone"),
            Column.of("uid", ColumnKind.UUID, true, "uuid"),
            Column.of("doc", ColumnKind.JSON, true, "jsonb"),
            Column.of("bin", ColumnKind.BYTES, true, "bytea")),
        List.of("id"));
  }

  private static Struct row(long id) {
    return new Struct(ROW)
        .put("id", id)
        .put("small", (short) -7)
        .put("i", 42)
        .put("price", new BigDecimal("1234.50"))
        .put("f4", 1.5f)
        .put("f8", -2.25d)
        .put("flag", true)
        .put("name", "Zoë")
        .put("day", (int) LocalDate.of(2024, 2, 29).toEpochDay())
        .put("at_time", (13L * 3600 + 14 * 60 + 15) * 1_000_000L + 654_321L)
        .put("ts", LOCAL_MICROS)
        .put("ts_millis", LOCAL_MICROS / 1000)
        .put("ts_nanos", LOCAL_MICROS * 1000 + 999)
        .put("tstz", "2024-01-02T05:04:05.123456+02:00")
        .put("uid", "5f1b8c2e-1d7a-4a53-9f6e-0c2b4a9d8e71")
        .put("doc", "{\"a\": [1, 2]}")
        .put("bin", ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}));
  }

  private static Struct source(long lsn, long tsMs, String snapshot) {
    return new Struct(SOURCE)
        .put("version", "1.9.8.Final")
        .put("connector", "postgresql")
        .put("name", "postgres_cdc_source")
        .put("ts_ms", tsMs)
        .put("snapshot", snapshot)
        .put("db", "shop")
        .put("schema", "public")
        .put("table", "all_types")
        .put("txId", 777L)
        .put("lsn", lsn)
        .put("xmin", null);
  }

  private static SourceRecord record(Struct value, long id) {
    return new SourceRecord(
        Map.of("server", "postgres_cdc_source"),
        Map.of("lsn", 1L),
        "postgres_cdc_source.public.all_types",
        null,
        KEY,
        new Struct(KEY).put("id", id),
        ENVELOPE.schema(),
        value);
  }

  @Test
  void convertsEveryKindToItsDocumentedClassAndValue() {
    ChangeEvent e = deserializer.convert(record(ENVELOPE.create(row(1), source(5000, 1700000000123L, "false"),
        Instant.ofEpochMilli(1700000000200L)), 1));

    assertThat(e.op()).isEqualTo(Op.CREATE);
    assertThat(e.before()).isNull();
    Map<String, Object> a = e.after();
    assertThat(a.keySet()).containsExactly(
        "id", "small", "i", "price", "f4", "f8", "flag", "name", "day", "at_time", "ts", "ts_millis", "ts_nanos",
        "tstz", "uid", "doc", "bin");
    assertThat(a.get("id")).isEqualTo(1L);
    assertThat(a.get("small")).isEqualTo(-7);
    assertThat(a.get("i")).isEqualTo(42);
    assertThat(a.get("price")).isEqualTo(new BigDecimal("1234.50"));
    assertThat(((BigDecimal) a.get("price")).scale()).isEqualTo(2);
    assertThat(a.get("f4")).isEqualTo(1.5f);
    assertThat(a.get("f8")).isEqualTo(-2.25d);
    assertThat(a.get("flag")).isEqualTo(true);
    assertThat(a.get("name")).isEqualTo("Zoë");
    assertThat(a.get("day")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    assertThat(a.get("at_time")).isEqualTo((13L * 3600 + 14 * 60 + 15) * 1_000_000L + 654_321L);
    assertThat(a.get("ts")).isEqualTo(LOCAL_MICROS);
    assertThat(a.get("ts_millis")).isEqualTo(LOCAL_MICROS / 1000 * 1000);
    assertThat(a.get("ts_nanos")).isEqualTo(LOCAL_MICROS);
    // 05:04:05.123456+02:00 is 03:04:05.123456 UTC
    assertThat(a.get("tstz")).isEqualTo(LOCAL_MICROS);
    assertThat(a.get("uid")).isEqualTo("5f1b8c2e-1d7a-4a53-9f6e-0c2b4a9d8e71");
    assertThat(a.get("doc")).isEqualTo("{\"a\": [1, 2]}");
    assertThat((byte[]) a.get("bin")).containsExactly(0, 1, 0xff);

    assertThat(e.tableId()).isEqualTo(TABLE);
    assertThat(e.tsMs()).isEqualTo(1700000000200L);
    assertThat(e.source().connector()).isEqualTo("postgresql");
    assertThat(e.source().name()).isEqualTo("shop-orders");
    assertThat(e.source().database()).isEqualTo("shop");
    assertThat(e.source().schema()).isEqualTo("public");
    assertThat(e.source().table()).isEqualTo("all_types");
    assertThat(e.source().tsMs()).isEqualTo(1700000000123L);
    assertThat(e.source().snapshot()).isFalse();
    assertThat(e.source().lsn()).isEqualTo(5000L);
    assertThat(e.source().txId()).isEqualTo(777L);
    assertThat(e.source().ordering()).isEqualTo(5000L);
  }

  @Test
  void keepsNullsAndHandlesNegativeTimestamps() {
    Struct r = new Struct(ROW).put("id", 2L).put("ts_nanos", -1L).put("ts", -1L).put("tstz", "1969-12-31T23:59:59.999999Z");
    ChangeEvent e = deserializer.convert(record(ENVELOPE.create(r, source(10, 1, "false"), Instant.EPOCH), 2));
    assertThat(e.after().get("name")).isNull();
    assertThat(e.after().get("price")).isNull();
    assertThat(e.after().get("ts")).isEqualTo(-1L);
    assertThat(e.after().get("ts_nanos")).isEqualTo(-1L); // floor, not truncation toward zero
    assertThat(e.after().get("tstz")).isEqualTo(-1L);
  }

  @Test
  void snapshotRowsAreReadsOrderedByTheirLsnOrZero() {
    ChangeEvent withLsn =
        deserializer.convert(record(ENVELOPE.read(row(3), source(4200, 0, "true"), Instant.ofEpochMilli(99)), 3));
    assertThat(withLsn.op()).isEqualTo(Op.READ);
    assertThat(withLsn.before()).isNull();
    assertThat(withLsn.after().get("id")).isEqualTo(3L);
    assertThat(withLsn.source().snapshot()).isTrue();
    assertThat(withLsn.source().tsMs()).isZero();
    assertThat(withLsn.source().ordering()).isEqualTo(4200L);

    Struct src = source(0, 0, "true").put("lsn", null);
    ChangeEvent noLsn = deserializer.convert(record(ENVELOPE.read(row(4), src, Instant.ofEpochMilli(99)), 4));
    assertThat(noLsn.source().ordering()).isZero();
    assertThat(noLsn.source().lsn()).isNull();
    assertThat(noLsn.source().snapshot()).isTrue();

    // Flink CDC's initial offset (plain chunk reads) carries the invalid LSN 0/0
    ChangeEvent invalidLsn =
        deserializer.convert(record(ENVELOPE.read(row(4), source(0, 0, "true"), Instant.ofEpochMilli(99)), 4));
    assertThat(invalidLsn.source().ordering()).isZero();
    assertThat(invalidLsn.source().lsn()).isNull();
  }

  @Test
  void updatesAndDeletesCarryBeforeImages() {
    Struct before = row(5);
    Struct after = row(5).put("name", "renamed").put("price", new BigDecimal("1.00"));
    ChangeEvent u = deserializer.convert(record(ENVELOPE.update(before, after, source(6000, 5, "false"), Instant.EPOCH), 5));
    assertThat(u.op()).isEqualTo(Op.UPDATE);
    assertThat(u.before().get("name")).isEqualTo("Zoë");
    assertThat(u.after().get("name")).isEqualTo("renamed");
    assertThat(u.after().get("price")).isEqualTo(new BigDecimal("1.00"));
    assertThat(u.source().ordering()).isEqualTo(6000L);

    ChangeEvent noBefore =
        deserializer.convert(record(ENVELOPE.update(null, after, source(6001, 5, "false"), Instant.EPOCH), 5));
    assertThat(noBefore.before()).isNull();

    ChangeEvent d = deserializer.convert(record(ENVELOPE.delete(before, source(7000, 6, "false"), Instant.EPOCH), 5));
    assertThat(d.op()).isEqualTo(Op.DELETE);
    assertThat(d.after()).isNull();
    assertThat(d.before().get("id")).isEqualTo(5L);
    assertThat(d.before().get("tstz")).isEqualTo(LOCAL_MICROS);
    assertThat(d.source().ordering()).isEqualTo(7000L);
  }

  @Test
  void unchangedToastedValuesComeFromTheBeforeImage() {
    Struct before = row(6).put("name", "a long text").put("bin", ByteBuffer.wrap(new byte[] {9}));
    Struct after =
        row(6)
            .put("i", 43)
            .put("name", PostgresChangeEventDeserializer.UNAVAILABLE_VALUE)
            .put("bin", ByteBuffer.wrap(PostgresChangeEventDeserializer.UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8)));
    ChangeEvent u = deserializer.convert(record(ENVELOPE.update(before, after, source(8000, 1, "false"), Instant.EPOCH), 6));
    assertThat(u.after().get("i")).isEqualTo(43);
    assertThat(u.after().get("name")).isEqualTo("a long text");
    assertThat((byte[]) u.after().get("bin")).containsExactly(9);

    assertThatThrownBy(
            () -> deserializer.convert(record(ENVELOPE.update(null, after, source(8001, 1, "false"), Instant.EPOCH), 6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("column name")
        .hasMessageContaining("REPLICA IDENTITY FULL");
  }

  @Test
  void decimalThatNeedsRoundingBecomesAnInvalidValueNamingTheColumn() {
    Struct r = row(7).put("price", new BigDecimal("1.234"));
    ChangeEvent e = deserializer.convert(record(ENVELOPE.create(r, source(1, 1, "false"), Instant.EPOCH), 7));
    assertThat(e.after().get("price")).isInstanceOf(InvalidValue.class);
    InvalidValue invalid = (InvalidValue) e.after().get("price");
    assertThat(invalid.reason())
        .contains("shop.public.all_types")
        .contains("column price (numeric(10,2), kind DECIMAL)");
    assertThat(invalid.raw()).isEqualTo("1.234");
  }

  @Test
  void logEventWithoutLsnFails() {
    Struct src = source(0, 1, "false").put("lsn", null);
    assertThatThrownBy(() -> deserializer.convert(record(ENVELOPE.create(row(8), src, Instant.EPOCH), 8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("carries no LSN");
  }

  @Test
  void skipsTombstonesHeartbeatsTruncatesAndUnknownTables() {
    SourceRecord tombstone =
        new SourceRecord(Map.of(), Map.of(), "t", null, KEY, new Struct(KEY).put("id", 1L), null, null);
    Schema heartbeatSchema =
        SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
    SourceRecord heartbeat =
        new SourceRecord(
            Map.of(), Map.of(), "__debezium-heartbeat.x", null, null, null, heartbeatSchema,
            new Struct(heartbeatSchema).put("ts_ms", 1L));
    SourceRecord truncate = record(ENVELOPE.truncate(source(1, 1, "false"), Instant.EPOCH), 1);
    SourceRecord otherTable =
        record(ENVELOPE.create(row(9), source(1, 1, "false").put("table", "other"), Instant.EPOCH), 9);

    List<ChangeEvent> out = new ArrayList<>();
    Collector<ChangeEvent> collector =
        new Collector<>() {
          @Override
          public void collect(ChangeEvent record) {
            out.add(record);
          }

          @Override
          public void close() {}
        };
    for (SourceRecord r : List.of(tombstone, heartbeat, truncate, otherTable)) {
      deserializer.deserialize(r, collector);
    }
    assertThat(out).isEmpty();
    deserializer.deserialize(record(ENVELOPE.create(row(10), source(1, 1, "false"), Instant.EPOCH), 10), collector);
    assertThat(out).hasSize(1);
  }

  @Test
  void isJavaSerializableAndProducesChangeEvents() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(deserializer);
    }
    Object copy;
    try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = ois.readObject();
    }
    assertThat(copy).isEqualTo(deserializer);
    assertThat(deserializer.getProducedType().getTypeClass()).isEqualTo(ChangeEvent.class);
  }
}
