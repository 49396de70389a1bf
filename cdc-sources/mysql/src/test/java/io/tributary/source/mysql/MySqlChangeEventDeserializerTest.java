package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Bits;
import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.Year;
import io.debezium.time.ZonedTimestamp;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
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
 * types, shaped as Flink CDC 3.5's MySQL source emits them with Tributary's settings (adaptive_time_microseconds,
 * precise decimals and unsigned bigints, bytes, {@link MySqlZeroDateConverter}).
 */
class MySqlChangeEventDeserializerTest {
  private static final TableId TABLE = new TableId("shop", null, "all_types");

  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("mysql_binlog_source.shop.all_types.Value")
          .field("id", Schema.INT64_SCHEMA)
          .field("flag", Schema.OPTIONAL_INT16_SCHEMA)
          .field("bit1", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("small", Schema.OPTIONAL_INT16_SCHEMA)
          .field("uint", Schema.OPTIONAL_INT64_SCHEMA)
          .field("ubig", Decimal.builder(0).optional().build())
          .field("price", Decimal.builder(2).optional().build())
          .field("f4", Schema.OPTIONAL_FLOAT32_SCHEMA)
          .field("f8", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("kind", io.debezium.data.Enum.builder("a,b").optional().build())
          .field("day", io.debezium.time.Date.builder().build())
          .field("dt6", MicroTimestamp.builder().optional().build())
          .field("dt0", io.debezium.time.Timestamp.builder().optional().build())
          .field("ts", ZonedTimestamp.builder().optional().build())
          .field("t", MicroTime.builder().optional().build())
          .field("yr", Year.builder().optional().build())
          .field("doc", Json.builder().optional().build())
          .field("bin", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("bits", Bits.builder(10).optional().build())
          .build();

  /** Debezium 1.9.8's MySQL source block. */
  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.mysql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("table", Schema.OPTIONAL_STRING_SCHEMA)
          .field("server_id", Schema.INT64_SCHEMA)
          .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
          .field("file", Schema.STRING_SCHEMA)
          .field("pos", Schema.INT64_SCHEMA)
          .field("row", Schema.INT32_SCHEMA)
          .field("thread", Schema.OPTIONAL_INT64_SCHEMA)
          .field("query", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  private static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("mysql_binlog_source.shop.all_types.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private static final Schema KEY =
      SchemaBuilder.struct().name("mysql_binlog_source.shop.all_types.Key").field("id", Schema.INT64_SCHEMA).build();

  private static final LocalDateTime LOCAL = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
  private static final long LOCAL_MICROS = LOCAL.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L;
  private static final String FILE = "mariadb-bin.000003";

  private final MySqlChangeEventDeserializer deserializer =
      new MySqlChangeEventDeserializer("shop-orders", List.of(allTypes()));

  static TableSchema allTypes() {
    return new TableSchema(
        TABLE,
        List.of(
            Column.of("id", ColumnKind.INT64, false, "bigint(20)"),
            Column.of("flag", ColumnKind.BOOLEAN, true, "tinyint(1)"),
            Column.of("bit1", ColumnKind.BOOLEAN, true, "bit(1)"),
            Column.of("small", ColumnKind.INT32, true, "smallint(6)"),
            Column.of("uint", ColumnKind.INT64, true, "int(10) unsigned"),
            new Column("ubig", ColumnKind.DECIMAL, true, 20, 0, "bigint(20) unsigned"),
            new Column("price", ColumnKind.DECIMAL, true, 10, 2, "decimal(10,2)"),
            Column.of("f4", ColumnKind.FLOAT32, true, "float"),
            Column.of("f8", ColumnKind.FLOAT64, true, "double"),
            Column.of("name", ColumnKind.STRING, true, "varchar(20)"),
            Column.of("kind", ColumnKind.STRING, true, "enum('a','b')"),
            Column.of("day", ColumnKind.DATE, false, "date"),
            Column.of("dt6", ColumnKind.TIMESTAMP_MICROS, true, "datetime(6)"),
            Column.of("dt0", ColumnKind.TIMESTAMP_MICROS, true, "datetime"),
            Column.of("ts", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamp(3)"),
            Column.of("t", ColumnKind.TIME_MICROS, true, "time(6)"),
            Column.of("yr", ColumnKind.INT32, true, "year(4)"),
            Column.of("doc", ColumnKind.JSON, true, "json"),
            Column.of("bin", ColumnKind.BYTES, true, "varbinary(8)"),
            Column.of("bits", ColumnKind.BYTES, true, "bit(10)")),
        List.of("id"));
  }

  private static Struct row(long id) {
    return new Struct(ROW)
        .put("id", id)
        .put("flag", (short) 1)
        .put("bit1", false)
        .put("small", (short) -7)
        .put("uint", 4294967295L)
        .put("ubig", new BigDecimal("18446744073709551615"))
        .put("price", new BigDecimal("1234.50"))
        .put("f4", 1.5f)
        .put("f8", -2.25d)
        .put("name", "Zoë")
        .put("kind", "b")
        .put("day", (int) LocalDate.of(2024, 2, 29).toEpochDay())
        .put("dt6", LOCAL_MICROS)
        .put("dt0", LOCAL_MICROS / 1_000_000 * 1000)
        .put("ts", "2024-01-02T03:04:05.123Z")
        .put("t", (13L * 3600 + 14 * 60 + 15) * 1_000_000L + 654_321L)
        .put("yr", 2024)
        .put("doc", "{\"a\": [1, 2]}")
        .put("bin", ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}))
        .put("bits", new byte[] {1, 2});
  }

  static Struct source(String file, long pos, int row, long tsMs) {
    return new Struct(SOURCE)
        .put("version", "1.9.8.Final")
        .put("connector", "mysql")
        .put("name", "mysql_binlog_source")
        .put("ts_ms", tsMs)
        .put("snapshot", "false")
        .put("db", "shop")
        .put("table", "all_types")
        .put("server_id", 1L)
        .put("gtid", "0-1-42")
        .put("file", file)
        .put("pos", pos)
        .put("row", row);
  }

  private static SourceRecord record(Struct value, long id) {
    return new SourceRecord(
        Map.of("server", "mysql_binlog_source"),
        Map.of("file", FILE, "pos", 4L),
        "mysql_binlog_source.shop.all_types",
        null,
        KEY,
        new Struct(KEY).put("id", id),
        ENVELOPE.schema(),
        value);
  }

  private static long fold(long seq, long pos, int row) {
    return (seq << 44) | (pos << 12) | row;
  }

  @Test
  void convertsEveryKindToItsDocumentedClassAndValue() {
    ChangeEvent e =
        deserializer.convert(
            record(ENVELOPE.create(row(1), source(FILE, 1234, 0, 1700000000000L), Instant.ofEpochMilli(1700000000200L)), 1));

    assertThat(e.op()).isEqualTo(Op.CREATE);
    assertThat(e.before()).isNull();
    Map<String, Object> a = e.after();
    assertThat(a.keySet())
        .containsExactly(
            "id", "flag", "bit1", "small", "uint", "ubig", "price", "f4", "f8", "name", "kind", "day", "dt6", "dt0",
            "ts", "t", "yr", "doc", "bin", "bits");
    assertThat(a.get("id")).isEqualTo(1L);
    assertThat(a.get("flag")).isEqualTo(true);
    assertThat(a.get("bit1")).isEqualTo(false);
    assertThat(a.get("small")).isEqualTo(-7);
    assertThat(a.get("uint")).isEqualTo(4294967295L);
    assertThat(a.get("ubig")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(a.get("price")).isEqualTo(new BigDecimal("1234.50"));
    assertThat(a.get("f4")).isEqualTo(1.5f);
    assertThat(a.get("f8")).isEqualTo(-2.25d);
    assertThat(a.get("name")).isEqualTo("Zoë");
    assertThat(a.get("kind")).isEqualTo("b");
    assertThat(a.get("day")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    assertThat(a.get("dt6")).isEqualTo(LOCAL_MICROS);
    assertThat(a.get("dt0")).isEqualTo(LOCAL_MICROS / 1_000_000 * 1_000_000);
    assertThat(a.get("ts")).isEqualTo(LOCAL_MICROS / 1000 * 1000);
    assertThat(a.get("t")).isEqualTo((13L * 3600 + 14 * 60 + 15) * 1_000_000L + 654_321L);
    assertThat(a.get("yr")).isEqualTo(2024);
    assertThat(a.get("doc")).isEqualTo("{\"a\": [1, 2]}");
    assertThat((byte[]) a.get("bin")).containsExactly(0, 1, 0xff);
    assertThat((byte[]) a.get("bits")).containsExactly(1, 2);

    assertThat(e.tableId()).isEqualTo(TABLE);
    assertThat(e.tsMs()).isEqualTo(1700000000200L);
    assertThat(e.source().connector()).isEqualTo("mysql");
    assertThat(e.source().name()).isEqualTo("shop-orders");
    assertThat(e.source().database()).isEqualTo("shop");
    assertThat(e.source().schema()).isNull();
    assertThat(e.source().table()).isEqualTo("all_types");
    assertThat(e.source().tsMs()).isEqualTo(1700000000000L);
    assertThat(e.source().snapshot()).isFalse();
    assertThat(e.source().binlogFile()).isEqualTo(FILE);
    assertThat(e.source().binlogPos()).isEqualTo(1234L);
    assertThat(e.source().gtid()).isEqualTo("0-1-42");
    assertThat(e.source().serverId()).isEqualTo(1L);
    assertThat(e.source().lsn()).isNull();
    assertThat(e.source().ordering()).isEqualTo(fold(3, 1234, 0));
  }

  @Test
  void orderingsOfSuccessiveChangesOfOneRowStrictlyIncrease() {
    // two updates of one row in one transaction: separate rows events, increasing positions; rows of one event by
    // their index; a later file after any position of an earlier one
    List<Struct> sources =
        List.of(
            source(FILE, 500, 0, 1),
            source(FILE, 500, 1, 1),
            source(FILE, 500, 4094, 1),
            source(FILE, 612, 0, 1),
            source(FILE, 4_000_000_000L, 0, 2),
            source("mariadb-bin.000004", 4, 0, 3),
            source("mariadb-bin.000004", 256, 2, 3));
    List<Long> orderings = new ArrayList<>();
    for (Struct s : sources) {
      ChangeEvent u = deserializer.convert(record(ENVELOPE.update(row(1), row(1).put("small", (short) 2), s, Instant.EPOCH), 1));
      orderings.add(u.source().ordering());
    }
    assertThat(orderings).isSorted().doesNotHaveDuplicates();
    assertThat(orderings.get(0)).isEqualTo(fold(3, 500, 0));
    assertThat(orderings.get(5)).isEqualTo(fold(4, 4, 0));
    // row indexes of 4095 and more share 4095
    ChangeEvent big = deserializer.convert(record(ENVELOPE.create(row(2), source(FILE, 700, 9000, 1), Instant.EPOCH), 2));
    assertThat(big.source().ordering()).isEqualTo(fold(3, 700, 4095));
  }

  @Test
  void snapshotRowsAreReadsOrderedZeroOrByTheirBackfilledPosition() {
    // a plain chunk read carries Flink CDC's "earliest" offset: file "" and position 0, server id 0, ts_ms 0
    Struct plain = source("", 0, 0, 0).put("server_id", 0L).put("gtid", null);
    ChangeEvent r = deserializer.convert(record(ENVELOPE.read(row(3), plain, Instant.ofEpochMilli(99)), 3));
    assertThat(r.op()).isEqualTo(Op.READ);
    assertThat(r.before()).isNull();
    assertThat(r.after().get("id")).isEqualTo(3L);
    assertThat(r.source().snapshot()).isTrue();
    assertThat(r.source().tsMs()).isZero();
    assertThat(r.source().ordering()).isZero();
    assertThat(r.source().binlogFile()).isNull();
    assertThat(r.source().binlogPos()).isNull();
    assertThat(r.source().serverId()).isNull();
    assertThat(r.source().gtid()).isNull();
    assertThat(r.tsMs()).isEqualTo(99L);

    // a row merged with a binlog change while back-filling its chunk carries that change's position; any later
    // change of the row lies beyond the chunk's high watermark, so beyond that position
    ChangeEvent backfilled =
        deserializer.convert(record(ENVELOPE.read(row(3), source(FILE, 900, 0, 0), Instant.ofEpochMilli(99)), 3));
    assertThat(backfilled.source().ordering()).isEqualTo(fold(3, 900, 0));
    assertThat(backfilled.source().snapshot()).isTrue();
    ChangeEvent later =
        deserializer.convert(record(ENVELOPE.update(row(3), row(3), source(FILE, 1_200, 0, 5), Instant.EPOCH), 3));
    assertThat(later.source().ordering()).isGreaterThan(backfilled.source().ordering()).isGreaterThan(0L);
  }

  @Test
  void updatesAndDeletesCarryBeforeImages() {
    Struct before = row(5);
    Struct after = row(5).put("name", "renamed").put("price", new BigDecimal("1.00"));
    ChangeEvent u = deserializer.convert(record(ENVELOPE.update(before, after, source(FILE, 6000, 0, 5), Instant.EPOCH), 5));
    assertThat(u.op()).isEqualTo(Op.UPDATE);
    assertThat(u.before().get("name")).isEqualTo("Zoë");
    assertThat(u.after().get("name")).isEqualTo("renamed");
    assertThat(u.after().get("price")).isEqualTo(new BigDecimal("1.00"));

    ChangeEvent d = deserializer.convert(record(ENVELOPE.delete(before, source(FILE, 7000, 0, 6), Instant.EPOCH), 5));
    assertThat(d.op()).isEqualTo(Op.DELETE);
    assertThat(d.after()).isNull();
    assertThat(d.before().get("id")).isEqualTo(5L);
    assertThat(d.before().get("ts")).isEqualTo(LOCAL_MICROS / 1000 * 1000);
    assertThat(d.source().ordering()).isGreaterThan(u.source().ordering());
  }

  @Test
  void valuesWithoutAFaithfulRepresentationBecomeInvalidValues() {
    Struct r =
        row(7)
            .put("day", MySqlZeroDateConverter.ZERO_DATE)
            .put("dt6", MySqlZeroDateConverter.ZERO_DATETIME)
            .put("ts", MySqlZeroDateConverter.ZERO_TIMESTAMP)
            .put("t", -3_600_000_000L)
            .put("flag", (short) 2)
            .put("price", new BigDecimal("123456789.00"));
    ChangeEvent e = deserializer.convert(record(ENVELOPE.create(r, source(FILE, 10, 0, 1), Instant.EPOCH), 7));
    assertThat(e.op()).isEqualTo(Op.CREATE);
    assertThat(e.after().get("id")).isEqualTo(7L);
    assertThat(e.after().get("name")).isEqualTo("Zoë");

    InvalidValue day = (InvalidValue) e.after().get("day");
    assertThat(day.reason())
        .startsWith("table shop.all_types column day (date, kind DATE): MySQL zero date (0000-00-00, or a date with "
            + "a zero month or day)");
    assertThat(day.raw()).isNull();
    InvalidValue dt6 = (InvalidValue) e.after().get("dt6");
    assertThat(dt6.reason()).startsWith("table shop.all_types column dt6 (datetime(6), kind TIMESTAMP_MICROS): MySQL zero date");
    InvalidValue ts = (InvalidValue) e.after().get("ts");
    assertThat(ts.reason()).startsWith("table shop.all_types column ts (timestamp(3), kind TIMESTAMP_TZ_MICROS): MySQL zero timestamp");
    assertThat(ts.raw()).isEqualTo("0000-00-00 00:00:00");
    InvalidValue t = (InvalidValue) e.after().get("t");
    assertThat(t.reason())
        .isEqualTo("table shop.all_types column t (time(6), kind TIME_MICROS): time -01:00:00.000000 is not a time of "
            + "day (00:00:00 to 23:59:59.999999); MySQL's TIME also holds durations from -838:59:59 to 838:59:59, "
            + "which TIME_MICROS cannot represent");
    assertThat(t.raw()).isEqualTo("-01:00:00.000000");
    InvalidValue flag = (InvalidValue) e.after().get("flag");
    assertThat(flag.reason()).contains("column flag (tinyint(1), kind BOOLEAN): value 2 is not a boolean (0 or 1)");
    assertThat(flag.raw()).isEqualTo("2");
    InvalidValue price = (InvalidValue) e.after().get("price");
    assertThat(price.reason()).contains("column price (decimal(10,2), kind DECIMAL): cannot convert BigDecimal value");
    assertThat(price.raw()).isEqualTo("123456789.00");

    // a time of 24 hours or more is no time of day either
    ChangeEvent late =
        deserializer.convert(record(ENVELOPE.create(row(8).put("t", 86_400_000_000L), source(FILE, 11, 0, 1), Instant.EPOCH), 8));
    assertThat(((InvalidValue) late.after().get("t")).raw()).isEqualTo("24:00:00.000000");
  }

  @Test
  void schemaChangesEmitNothingButTheirDdlIsRememberedForDriftMessages() {
    String ddl = "ALTER TABLE all_types ADD COLUMN extra INT";
    List<ChangeEvent> out = new ArrayList<>();
    deserializer.deserialize(schemaChange("shop", ddl, "\"shop\".\"all_types\""), collector(out));
    assertThat(out).isEmpty();
    assertThat(deserializer.lastDdl(TABLE)).isEqualTo(ddl);
    assertThat(deserializer.lastDdl(new TableId("shop", null, "other"))).isNull();

    SchemaBuilder wider =
        SchemaBuilder.struct().name("mysql_binlog_source.shop.all_types.Value").field("extra", Schema.OPTIONAL_INT32_SCHEMA);
    for (org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field f : ROW.fields()) {
      if (!f.name().equals("yr")) {
        wider.field(f.name(), f.schema());
      }
    }
    Schema widerRow = wider.build();
    Envelope widerEnvelope = Envelope.defineSchema().withName("x.Envelope").withRecord(widerRow).withSource(SOURCE).build();
    Struct value = new Struct(widerRow).put("id", 9L).put("day", 0).put("extra", 1);
    SourceRecord drifted =
        new SourceRecord(Map.of(), Map.of(), "t", null, KEY, new Struct(KEY).put("id", 9L), widerEnvelope.schema(),
            widerEnvelope.create(value, source(FILE, 20, 0, 1), Instant.EPOCH));
    // yr is nullable: under evolve only the added column stops the job (the runner plans again), quoting the DDL
    assertThatThrownBy(() -> deserializer.convert(drifted))
        .isInstanceOf(org.apache.flink.runtime.execution.SuppressRestartsException.class)
        .cause()
        .isInstanceOf(io.tributary.config.spi.SchemaChangeException.class)
        .hasMessageStartingWith("Schema change in table shop.all_types: column(s) added extra (INT32); DDL: " + ddl);
  }

  @Test
  void underFailAnAlterOfACapturedTableStopsAtTheDdlItself() {
    MySqlChangeEventDeserializer failing = new MySqlChangeEventDeserializer(
        "shop-orders", List.of(allTypes()), io.tributary.config.SchemaChangeBehavior.FAIL);
    String ddl = "ALTER TABLE all_types DROP COLUMN yr";
    assertThatThrownBy(() -> failing.deserialize(schemaChange("shop", ddl, "\"shop\".\"all_types\""), collector(new ArrayList<>())))
        .isInstanceOf(org.apache.flink.runtime.execution.SuppressRestartsException.class)
        .cause()
        .hasMessageContaining("Schema change in table shop.all_types")
        .hasMessageContaining("DDL: " + ddl)
        .hasMessageContaining("schema.change.behavior is fail");
    // DDL on another table passes
    failing.deserialize(schemaChange("shop", "ALTER TABLE other ADD COLUMN x INT", "\"shop\".\"other\""),
        collector(new ArrayList<>()));
  }

  @Test
  void schemaChangeWithoutTableChangesFallsBackToTheSourceTables() {
    deserializer.convert(schemaChange("shop", "DROP TABLE all_types, other", null));
    assertThat(deserializer.lastDdl(TABLE)).isEqualTo("DROP TABLE all_types, other");
    assertThat(deserializer.lastDdl(new TableId("shop", null, "other"))).isEqualTo("DROP TABLE all_types, other");
  }

  /** A schema change record as Flink CDC 3.5 emits it: key SchemaChangeKey, value source + historyRecord (JSON). */
  static SourceRecord schemaChange(String database, String ddl, String tableId) {
    Schema key = SchemaBuilder.struct().name("io.debezium.connector.mysql.SchemaChangeKey")
        .field("databaseName", Schema.STRING_SCHEMA).build();
    Schema valueSchema = SchemaBuilder.struct().name("io.debezium.connector.mysql.SchemaChangeValue")
        .field("source", SOURCE).field("historyRecord", Schema.OPTIONAL_STRING_SCHEMA).build();
    String changes = tableId == null ? "[]"
        : "[{\"type\":\"ALTER\",\"id\":\"" + tableId.replace("\"", "\\\"") + "\",\"table\":{\"columns\":[]}}]";
    String history = "{\"source\":{\"file\":\"" + FILE + "\",\"pos\":15,\"server_id\":1},\"position\":{},"
        + "\"databaseName\":\"" + database + "\",\"ddl\":\"" + ddl + "\",\"tableChanges\":" + changes + "}";
    Struct source = source(FILE, 15, 0, 1).put("table", tableId == null ? "all_types,other" : "all_types");
    return new SourceRecord(Map.of(), Map.of(), "mysql_binlog_source", null, key,
        new Struct(key).put("databaseName", database), valueSchema,
        new Struct(valueSchema).put("source", source).put("historyRecord", history));
  }

  @Test
  void binlogChangesWithoutAPositionOrBeyondTheOrderingRangeFail() {
    assertThatThrownBy(() -> deserializer.convert(record(ENVELOPE.create(row(8), source("", 0, 0, 1), Instant.EPOCH), 8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("carries no binlog position");
    assertThatThrownBy(
            () -> deserializer.convert(record(ENVELOPE.create(row(8), source("mariadb-bin.524288", 4, 0, 1), Instant.EPOCH), 8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sequence number 524288, beyond the 524287");
    assertThatThrownBy(
            () -> deserializer.convert(record(ENVELOPE.create(row(8), source(FILE, 1L << 32, 0, 1), Instant.EPOCH), 8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("binlog position 4294967296 in " + FILE + " is outside 0..4294967295");
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
    SourceRecord truncate = record(ENVELOPE.truncate(source(FILE, 1, 0, 1), Instant.EPOCH), 1);
    SourceRecord otherTable =
        record(ENVELOPE.create(row(9), source(FILE, 1, 0, 1).put("table", "other"), Instant.EPOCH), 9);
    SourceRecord otherDatabase =
        record(ENVELOPE.create(row(9), source(FILE, 1, 0, 1).put("db", "crm"), Instant.EPOCH), 9);

    List<ChangeEvent> out = new ArrayList<>();
    for (SourceRecord r : List.of(tombstone, heartbeat, truncate, otherTable, otherTable, otherDatabase)) {
      deserializer.deserialize(r, collector(out));
    }
    assertThat(out).isEmpty();
    deserializer.deserialize(record(ENVELOPE.create(row(10), source(FILE, 1, 0, 1), Instant.EPOCH), 10), collector(out));
    assertThat(out).hasSize(1);
  }

  private static Collector<ChangeEvent> collector(List<ChangeEvent> out) {
    return new Collector<>() {
      @Override
      public void collect(ChangeEvent record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void isJavaSerializableAndProducesChangeEvents() throws Exception {
    deserializer.convert(schemaChange("shop", "ALTER TABLE all_types COMMENT 'x'", "\"shop\".\"all_types\""));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(deserializer);
    }
    Object copy;
    try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = ois.readObject();
    }
    assertThat(copy).isEqualTo(deserializer);
    assertThat(((MySqlChangeEventDeserializer) copy).lastDdl(TABLE)).as("runtime state is not serialized").isNull();
    assertThat(deserializer.getProducedType().getTypeClass()).isEqualTo(ChangeEvent.class);
  }
}
