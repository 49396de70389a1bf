package io.tributary.schema.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroRecordsTest {
  private static final TableSchema TABLE = TestTables.allKinds();
  private static final Schema ROW = AvroSchemas.rowSchema(TABLE, TestTables.NS);
  private static final Schema KEY = AvroSchemas.keySchema(TABLE, TestTables.NS);
  private static final Schema ENVELOPE = AvroSchemas.envelopeSchema(TABLE, TestTables.NS);

  @Test
  void rowRoundTripsThroughBinaryEncodingForEveryKind() throws IOException {
    Map<String, Object> image = TestTables.row(7, true);
    GenericRecord decoded = roundTrip(ROW, AvroRecords.row(ROW, image));
    // the reader gives Avro's physical classes, toImage turns them back
    assertThat(decoded.get("string_nn")).isInstanceOf(Utf8.class);
    assertThat(decoded.get("decimal_nn")).isInstanceOf(ByteBuffer.class);
    Map<String, Object> back = AvroRecords.toImage(decoded);
    assertThat(comparable(back)).isEqualTo(comparable(image));
    assertThat(back.get("decimal_nn")).isEqualTo(new BigDecimal("-123456782.123"));
    assertThat(((BigDecimal) back.get("decimal_nn")).scale()).isEqualTo(3);
    assertThat(back.get("int32_nn")).isInstanceOf(Integer.class);
    assertThat(back.get("date_n")).isInstanceOf(Integer.class);
    assertThat(back.get("timestamp_tz_micros_nn")).isInstanceOf(Long.class);
    assertThat(back.get("bytes_nn")).isInstanceOf(byte[].class);
    assertThat(back.get("uuid_n")).isInstanceOf(String.class);
  }

  @Test
  void nullsRoundTripInNullableColumns() throws IOException {
    Map<String, Object> image = TestTables.row(8, false);
    Map<String, Object> back = AvroRecords.toImage(roundTrip(ROW, AvroRecords.row(ROW, image)));
    assertThat(comparable(back)).isEqualTo(comparable(image));
    for (ColumnKind k : ColumnKind.values()) {
      String col = k.name().toLowerCase() + "_n";
      assertThat(back).containsEntry(col, null);
    }
  }

  @Test
  void missingNullableColumnsAreNullAndMissingNotNullColumnsFail() {
    Map<String, Object> image = TestTables.row(9, true);
    image.remove("string_n");
    assertThat(AvroRecords.row(ROW, image).get("string_n")).isNull();
    image.remove("int32_nn");
    assertThatThrownBy(() -> AvroRecords.row(ROW, image))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tributary.shop.public.all_kinds")
        .hasMessageContaining("int32_nn")
        .hasMessageContaining("missing");
    image.put("int32_nn", null);
    assertThatThrownBy(() -> AvroRecords.row(ROW, image)).hasMessageContaining("is null");
  }

  @Test
  void decimalsAreRescaledToTheColumnScaleAsUnscaledTwosComplement() {
    Map<String, Object> image = TestTables.row(1, true);
    image.put("decimal_nn", new BigDecimal("1.5"));
    image.put("decimal_n", new BigDecimal("-0.001"));
    GenericRecord r = AvroRecords.row(ROW, image);
    // 1.5 at scale 3 = unscaled 1500 = 0x05DC
    assertThat(bytes((ByteBuffer) r.get("decimal_nn"))).containsExactly(0x05, 0xDC);
    // -0.001 at scale 3 = unscaled -1 = 0xFF
    assertThat(bytes((ByteBuffer) r.get("decimal_n"))).containsExactly(0xFF);
    Map<String, Object> back = AvroRecords.toImage(r);
    assertThat(back.get("decimal_nn")).isEqualTo(new BigDecimal("1.500"));
    assertThat(back.get("decimal_n")).isEqualTo(new BigDecimal("-0.001"));
  }

  @Test
  void decimalsThatDoNotFitFailNamingTableColumnAndValue() {
    Map<String, Object> tooPrecise = TestTables.row(1, true);
    tooPrecise.put("decimal_nn", new BigDecimal("1.2345"));
    ChangeEvent e = ChangeEvent.insert(TestTables.ID, tooPrecise, TestTables.source(10, false), 1L);
    assertThatThrownBy(() -> AvroRecords.envelope(ENVELOPE, e))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop.public.all_kinds")
        .hasMessageContaining("decimal_nn")
        .hasMessageContaining("1.2345")
        .hasMessageContaining("decimal(12,3)");

    Map<String, Object> tooLarge = TestTables.row(1, true);
    tooLarge.put("decimal_n", new BigDecimal("1234567890.5"));
    assertThatThrownBy(() -> AvroRecords.row(ROW, tooLarge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decimal_n")
        .hasMessageContaining("1234567890.5")
        .hasMessageContaining("13 digits");

    // the largest value that fits
    Map<String, Object> max = TestTables.row(1, true);
    max.put("decimal_n", new BigDecimal("999999999.999"));
    assertThat(AvroRecords.toImage(AvroRecords.row(ROW, max)).get("decimal_n"))
        .isEqualTo(new BigDecimal("999999999.999"));
  }

  @Test
  void wrongValueClassFailsNamingTheExpectedClass() {
    Map<String, Object> image = TestTables.row(1, true);
    image.put("int64_nn", "12");
    assertThatThrownBy(() -> AvroRecords.row(ROW, image))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("int64_nn")
        .hasMessageContaining("Long")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void lossFreeWideningIsAccepted() {
    Map<String, Object> image = TestTables.row(1, true);
    image.put("int32_nn", (short) 5);
    image.put("int64_nn", 6);
    image.put("float64_nn", 1.5f);
    image.put("decimal_nn", 42L);
    image.put("uuid_nn", java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    Map<String, Object> back = AvroRecords.toImage(AvroRecords.row(ROW, image));
    assertThat(back.get("int32_nn")).isEqualTo(5);
    assertThat(back.get("int64_nn")).isEqualTo(6L);
    assertThat(back.get("float64_nn")).isEqualTo(1.5d);
    assertThat(back.get("decimal_nn")).isEqualTo(new BigDecimal("42.000"));
    assertThat(back.get("uuid_nn")).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
  }

  @Test
  void keyComesFromTheAfterImageOrTheBeforeImageOfDeletes() throws IOException {
    ChangeEvent ins = ChangeEvent.insert(TestTables.ID, TestTables.row(3, true), TestTables.source(5, false), 1L);
    GenericRecord k = roundTrip(KEY, AvroRecords.key(KEY, ins));
    assertThat(AvroRecords.toImage(k)).containsExactly(Map.entry("id", 3L), Map.entry("region", "eu-3"));

    ChangeEvent del =
        ChangeEvent.delete(TestTables.ID, Map.of("id", 4L, "region", "eu-4"), TestTables.source(6, false), 2L);
    assertThat(AvroRecords.toImage(AvroRecords.key(KEY, del)))
        .containsExactly(Map.entry("id", 4L), Map.entry("region", "eu-4"));

    Map<String, Object> noKey = new LinkedHashMap<>(Map.of("id", 4L));
    ChangeEvent bad = ChangeEvent.delete(TestTables.ID, noKey, TestTables.source(6, false), 2L);
    assertThatThrownBy(() -> AvroRecords.key(KEY, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop.public.all_kinds")
        .hasMessageContaining("region");
  }

  @Test
  void envelopeRoundTripsForEveryOp() throws IOException {
    Map<String, Object> v1 = TestTables.row(1, true);
    Map<String, Object> v2 = TestTables.row(1, false);
    List<ChangeEvent> events =
        List.of(
            ChangeEvent.read(TestTables.ID, v1, TestTables.source(0, true), 100L),
            ChangeEvent.insert(TestTables.ID, v1, TestTables.source(11, false), 101L),
            ChangeEvent.update(TestTables.ID, v1, v2, TestTables.source(12, false), 102L),
            ChangeEvent.update(TestTables.ID, null, v2, TestTables.source(13, false), 103L),
            ChangeEvent.delete(TestTables.ID, v2, TestTables.source(14, false), 104L));
    for (ChangeEvent e : events) {
      GenericRecord env = AvroRecords.envelope(ENVELOPE, e);
      assertThat(env.get("op")).isEqualTo(e.op().code());
      assertThat(env.get("ts_ms")).isEqualTo(e.tsMs());
      assertThat(env.get("before") == null).isEqualTo(e.before() == null);
      assertThat(env.get("after") == null).isEqualTo(e.after() == null);
      GenericRecord decoded = roundTrip(ENVELOPE, env);
      ChangeEvent back = AvroRecords.toChangeEvent(decoded);
      assertThat(back.op()).isEqualTo(e.op());
      assertThat(back.tableId()).isEqualTo(e.tableId());
      assertThat(back.source()).isEqualTo(e.source());
      assertThat(back.tsMs()).isEqualTo(e.tsMs());
      assertThat(comparable(back.before())).isEqualTo(comparable(e.before()));
      assertThat(comparable(back.after())).isEqualTo(comparable(e.after()));
    }
  }

  @Test
  void keyOnlyBeforeImageOfADeleteFillsNotNullColumnsWithZeros() throws IOException {
    ChangeEvent del =
        ChangeEvent.delete(TestTables.ID, Map.of("id", 4L, "region", "eu-4"), TestTables.source(6, false), 2L);
    Map<String, Object> before =
        AvroRecords.toImage((GenericRecord) roundTrip(ENVELOPE, AvroRecords.envelope(ENVELOPE, del)).get("before"));
    assertThat(before).containsEntry("id", 4L).containsEntry("region", "eu-4");
    assertThat(before).containsEntry("int32_nn", 0).containsEntry("boolean_nn", false).containsEntry("string_nn", "");
    assertThat(before).containsEntry("decimal_nn", new BigDecimal("0.000")).containsEntry("int32_n", null);
    assertThat(before).containsEntry("uuid_nn", "00000000-0000-0000-0000-000000000000");
    assertThat((byte[]) before.get("bytes_nn")).isEmpty();
  }

  @Test
  void sourceBlockCarriesEverySourceField() throws IOException {
    var mysql =
        io.tributary.schema.SourceInfo.builder()
            .connector("mysql")
            .table(new TableId("shop", null, "orders"))
            .tsMs(5L)
            .binlogFile("mysql-bin.000003")
            .binlogPos(154L)
            .serverId(223344L)
            .gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:23")
            .ordering(3L << 32 | 154L)
            .build();
    GenericRecord r = roundTrip(AvroSchemas.sourceSchema(), AvroRecords.source(mysql));
    assertThat(r.get("file").toString()).isEqualTo("mysql-bin.000003");
    assertThat(r.get("pos")).isEqualTo(154L);
    assertThat(r.get("schema")).isNull();
    assertThat(r.get("lsn")).isNull();
    assertThat(AvroRecords.toSource(r)).isEqualTo(mysql);
  }

  @Test
  void perSchemaPlansAreCached() {
    assertThat(AvroRecords.rowPlan(ROW)).isSameAs(AvroRecords.rowPlan(ROW));
    // keyed by instance (no field-by-field schema comparison per record): an equal copy has a plan of its own
    Schema equalCopy = new Schema.Parser().parse(ROW.toString());
    assertThat(AvroRecords.rowPlan(equalCopy)).isSameAs(AvroRecords.rowPlan(equalCopy)).isNotSameAs(AvroRecords.rowPlan(ROW));
  }

  @Test
  void sanitizedColumnNamesMapBackToSourceNames() {
    TableSchema t =
        new TableSchema(
            new TableId("d", "s", "t"),
            List.of(Column.of("order-id", ColumnKind.INT64, false, "bigint"), Column.of("Note", ColumnKind.STRING, true, "text")),
            List.of("order-id"));
    Schema row = AvroSchemas.rowSchema(t, "ns");
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("order-id", 1L);
    image.put("Note", "x");
    GenericRecord r = AvroRecords.row(row, image);
    assertThat(r.get("order_id")).isEqualTo(1L);
    assertThat(AvroRecords.toImage(r)).isEqualTo(image);
  }

  // ---------------------------------------------------------------------------------------------------------

  private static GenericRecord roundTrip(Schema schema, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(r, enc);
    enc.flush();
    return new GenericDatumReader<GenericRecord>(schema)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  /** The image with byte arrays as hex, so maps compare by value. */
  private static Map<String, Object> comparable(Map<String, Object> image) {
    if (image == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    image.forEach((k, v) -> out.put(k, v instanceof byte[] ? "hex:" + HexFormat.of().formatHex((byte[]) v) : v));
    return out;
  }

  private static int[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    int[] out = new int[d.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get() & 0xff;
    }
    return out;
  }
}
