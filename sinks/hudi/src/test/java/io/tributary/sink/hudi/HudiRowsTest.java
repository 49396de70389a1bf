package io.tributary.sink.hudi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroSchemas;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hudi.common.model.HoodieKey;
import org.junit.jupiter.api.Test;

class HudiRowsTest {
  private final Schema schema = HudiRows.schema(TestData.SCHEMA, "orders");

  @Test
  void schemaHasTheKafkaColumnsThenTheMetadataColumns() {
    Schema kafka = AvroSchemas.rowSchema(TestData.SCHEMA, "tributary.shop.public.orders");

    assertThat(schema.getFullName()).isEqualTo("hoodie.orders.orders_record");
    assertThat(schema.getFields()).extracting(Schema.Field::name)
        .containsExactlyElementsOf(concat(kafka.getFields().stream().map(Schema.Field::name).toList(),
            List.of("_tributary_op", "_tributary_ts_ms", "_tributary_ordering")));
    for (Schema.Field k : kafka.getFields()) {
      Schema.Field h = schema.getField(k.name());
      assertThat(AvroSchemas.isNullable(h.schema())).as(k.name()).isEqualTo(AvroSchemas.isNullable(k.schema()));
      if (!k.name().equals("price") && !k.name().equals("tod")) {
        assertThat(h.schema()).as(k.name()).isEqualTo(k.schema());
      }
    }
    Schema price = AvroSchemas.nonNullBranch(schema.getField("price").schema());
    assertThat(price.getType()).isEqualTo(Schema.Type.FIXED);
    assertThat(price.getFixedSize()).isEqualTo(5);
    assertThat(price.getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
    Schema tod = AvroSchemas.nonNullBranch(schema.getField("tod").schema());
    assertThat(tod.getType()).isEqualTo(Schema.Type.LONG);
    assertThat(tod.getLogicalType()).isNull();
    assertThat(tod.getProp(HudiRows.TIME_MICROS_PROP)).isEqualTo("time-micros");
  }

  @Test
  void decimalSizesAreTheFewestBytesForThePrecision() {
    assertThat(HudiRows.decimalBytes(1)).isEqualTo(1);
    assertThat(HudiRows.decimalBytes(2)).isEqualTo(1);
    assertThat(HudiRows.decimalBytes(3)).isEqualTo(2);
    assertThat(HudiRows.decimalBytes(9)).isEqualTo(4);
    assertThat(HudiRows.decimalBytes(10)).isEqualTo(5);
    assertThat(HudiRows.decimalBytes(18)).isEqualTo(8);
    assertThat(HudiRows.decimalBytes(38)).isEqualTo(16);
  }

  @Test
  void convertsAnInsertWithEveryKindAndTheMetadata() {
    ChangeEvent e = TestData.insert(3, 1, 77);

    GenericRecord r = HudiRows.row(schema, TestData.SCHEMA, e);

    assertThat(GenericData.get().validate(schema, r)).isTrue();
    assertThat(r.get("id")).isEqualTo(3);
    assertThat(r.get("name")).isEqualTo("n3-v1 \"q\"\t");
    assertThat(decimal(r, "price")).isEqualTo(new BigDecimal("3.01"));
    assertThat(r.get("qty")).isEqualTo(3_000_000_001L);
    assertThat(r.get("tod")).isEqualTo(3_600_000_001L);
    assertThat(r.get("raw")).isEqualTo(ByteBuffer.wrap("r31".getBytes()));
    assertThat(r.get("_tributary_op")).isEqualTo("c");
    assertThat(r.get("_tributary_ts_ms")).isEqualTo(1_077L);
    assertThat(r.get("_tributary_ordering")).isEqualTo(77L);
  }

  @Test
  void signExtendsNegativeDecimals() {
    Map<String, Object> after = new LinkedHashMap<>(TestData.image(1, 1));
    after.put("price", new BigDecimal("-1.50"));
    ChangeEvent e = ChangeEvent.insert(TestData.ORDERS, after, TestData.source(1), 1);

    GenericRecord r = HudiRows.row(schema, TestData.SCHEMA, e);

    assertThat(((GenericData.Fixed) r.get("price")).bytes()).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0x6A);
    assertThat(decimal(r, "price")).isEqualTo(new BigDecimal("-1.50"));
  }

  @Test
  void aDeleteOfAKeyOnlyImageIsAMarkedRowWithZeroFilledNotNullColumns() {
    GenericRecord r = HudiRows.row(schema, TestData.SCHEMA, TestData.delete(5, 90));

    assertThat(GenericData.get().validate(schema, r)).isTrue();
    assertThat(r.get("id")).isEqualTo(5);
    assertThat(r.get("qty")).isEqualTo(0L);
    assertThat(r.get("flag")).isEqualTo(false);
    assertThat(r.get("region")).isEqualTo("");
    assertThat(r.get("name")).isNull();
    assertThat(r.get("_tributary_op")).isEqualTo(HudiRows.DELETE_MARKER);
    assertThat(r.get("_tributary_ordering")).isEqualTo(90L);
  }

  @Test
  void rejectsNullInANotNullColumnAndWrongValueClassesNamingTheColumn() {
    Map<String, Object> after = new LinkedHashMap<>(TestData.image(1, 1));
    after.put("qty", null);
    assertThatThrownBy(() -> HudiRows.row(schema, TestData.SCHEMA,
        ChangeEvent.insert(TestData.ORDERS, after, TestData.source(1), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table shop.public.orders, column qty: value is null but the column is NOT NULL");

    after.put("qty", "many");
    assertThatThrownBy(() -> HudiRows.row(schema, TestData.SCHEMA,
        ChangeEvent.insert(TestData.ORDERS, after, TestData.source(1), 1)))
        .hasMessageStartingWith("table shop.public.orders, column qty: a INT64 column takes Long");

    after.put("qty", 1L);
    after.put("price", new BigDecimal("123456789.5"));
    assertThatThrownBy(() -> HudiRows.row(schema, TestData.SCHEMA,
        ChangeEvent.insert(TestData.ORDERS, after, TestData.source(1), 1)))
        .hasMessageContaining("column price")
        .hasMessageContaining("does not fit decimal(10,2)");
  }

  @Test
  void refusesAColumnNamedLikeAMetadataColumn() {
    TableSchema t = new TableSchema(TestData.ORDERS,
        List.of(Column.of("id", ColumnKind.INT32, false, "int4"), Column.of("_tributary_op", ColumnKind.STRING, true, "text")),
        List.of("id"));

    assertThatThrownBy(() -> HudiRows.schema(t, "orders"))
        .hasMessageContaining("column _tributary_op clashes with the Hudi sink's metadata column");
  }

  @Test
  void recordKeysAreRenderedByHudisKeyGenerators() {
    HudiSinkConfig plain = new HudiSinkConfig("hudi-0", "/x/${table}", HudiTableType.MERGE_ON_READ, "${table}", null,
        5, 10, java.time.Duration.ZERO, Map.of(), Map.of());
    BufferedRow single = new HudiRowEncoder(plain, TestData.SCHEMA).encode(TestData.insert(42, 1, 1));
    assertThat(single.recordKey).isEqualTo("42");
    assertThat(single.partitionPath).isEmpty();
    assertThat(single.delete).isFalse();
    assertThat(single.ordering).isEqualTo(1L);

    HudiSinkConfig partitioned = new HudiSinkConfig("hudi-0", "/x/${table}", HudiTableType.MERGE_ON_READ, "${table}",
        "region", 5, 10, java.time.Duration.ZERO, Map.of(), Map.of());
    BufferedRow p = new HudiRowEncoder(partitioned, TestData.SCHEMA).encode(TestData.insert(42, 1, 1));
    assertThat(new HoodieKey(p.recordKey, p.partitionPath)).isEqualTo(new HoodieKey("42", "even"));

    TableSchema composite = new TableSchema(TestData.ORDERS,
        List.of(Column.of("a", ColumnKind.STRING, false, "text"), Column.of("b", ColumnKind.INT32, false, "int4")),
        List.of("a", "b"));
    BufferedRow c = new HudiRowEncoder(plain, composite).encode(
        ChangeEvent.delete(TestData.ORDERS, Map.of("a", "x", "b", 7), TestData.source(9), 1));
    assertThat(c.recordKey).isEqualTo("a:x,b:7");
    assertThat(c.delete).isTrue();
  }

  private BigDecimal decimal(GenericRecord r, String field) {
    Schema s = AvroSchemas.nonNullBranch(schema.getField(field).schema());
    GenericData.Fixed f = (GenericData.Fixed) r.get(field);
    return new Conversions.DecimalConversion().fromFixed(f, s, s.getLogicalType());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

}
