package io.tributary.schema.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroSchemasTest {

  @Test
  void typeSchemaFollowsTheColumnKindTable() {
    assertType(ColumnKind.BOOLEAN, Schema.Type.BOOLEAN, null);
    assertType(ColumnKind.INT32, Schema.Type.INT, null);
    assertType(ColumnKind.INT64, Schema.Type.LONG, null);
    assertType(ColumnKind.FLOAT32, Schema.Type.FLOAT, null);
    assertType(ColumnKind.FLOAT64, Schema.Type.DOUBLE, null);
    assertType(ColumnKind.STRING, Schema.Type.STRING, null);
    assertType(ColumnKind.UUID, Schema.Type.STRING, "uuid");
    assertType(ColumnKind.JSON, Schema.Type.STRING, null);
    assertType(ColumnKind.BYTES, Schema.Type.BYTES, null);
    assertType(ColumnKind.DATE, Schema.Type.INT, "date");
    assertType(ColumnKind.TIME_MICROS, Schema.Type.LONG, "time-micros");
    assertType(ColumnKind.TIMESTAMP_MICROS, Schema.Type.LONG, "local-timestamp-micros");
    assertType(ColumnKind.TIMESTAMP_TZ_MICROS, Schema.Type.LONG, "timestamp-micros");

    Schema dec = AvroSchemas.typeSchema(new Column("price", ColumnKind.DECIMAL, false, 10, 2, "numeric(10,2)"));
    assertThat(dec.getType()).isEqualTo(Schema.Type.BYTES);
    assertThat(dec.getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
    assertThat(dec.toString()).contains("\"logicalType\":\"decimal\"", "\"precision\":10", "\"scale\":2");

    Schema json = AvroSchemas.typeSchema(Column.of("doc", ColumnKind.JSON, false, "jsonb"));
    assertThat(json.getProp("connect.name")).isEqualTo("io.debezium.data.Json");
    assertThat(AvroSchemas.typeSchema(Column.of("s", ColumnKind.STRING, false, "text")).getProp("connect.name"))
        .isNull();
  }

  private static void assertType(ColumnKind kind, Schema.Type type, String logical) {
    Schema s = AvroSchemas.typeSchema(Column.of("c", kind, false, "x"));
    assertThat(s.getType()).as(kind.name()).isEqualTo(type);
    if (logical == null) {
      assertThat(s.getLogicalType()).as(kind.name()).isNull();
    } else {
      assertThat(s.getLogicalType().getName()).as(kind.name()).isEqualTo(logical);
      assertThat(s.getProp("logicalType")).isEqualTo(logical);
    }
  }

  @ParameterizedTest
  @EnumSource(ColumnKind.class)
  void kindOfReversesTypeSchemaAlsoAfterReparsing(ColumnKind kind) {
    Column c = TestTables.column("c", kind, true);
    Schema field = AvroSchemas.fieldSchema(c);
    assertThat(AvroSchemas.kindOf(field)).isEqualTo(kind);
    Schema reparsed = new Schema.Parser().parse(field.toString());
    assertThat(AvroSchemas.kindOf(reparsed)).isEqualTo(kind);
  }

  @Test
  void kindOfRejectsTypesWithoutAKind() {
    assertThatThrownBy(() -> AvroSchemas.kindOf(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestamp-millis");
  }

  @Test
  void nullableColumnsAreNullUnionsWithNullDefault() {
    Schema row = AvroSchemas.rowSchema(TestTables.allKinds(), TestTables.NS);
    for (ColumnKind k : ColumnKind.values()) {
      String base = k.name().toLowerCase();
      Schema.Field nn = row.getField(base + "_nn");
      assertThat(nn.schema().getType()).as(base).isNotEqualTo(Schema.Type.UNION);
      assertThat(nn.hasDefaultValue()).as(base).isFalse();

      Schema.Field n = row.getField(base + "_n");
      assertThat(n.schema().getType()).as(base).isEqualTo(Schema.Type.UNION);
      assertThat(n.schema().getTypes()).hasSize(2);
      assertThat(n.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
      assertThat(n.schema().getTypes().get(1)).isEqualTo(nn.schema());
      assertThat(n.hasDefaultValue()).isTrue();
      assertThat(n.defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
    }
    assertThat(row.toString()).contains("\"default\":null");
  }

  @Test
  void rowSchemaHasAllColumnsInOrderUnderTheNamespace() {
    TableSchema t = TestTables.allKinds();
    Schema row = AvroSchemas.rowSchema(t, TestTables.NS);
    assertThat(row.getFullName()).isEqualTo("tributary.shop.public.all_kinds.Value");
    assertThat(row.getFields().stream().map(Schema.Field::name).collect(Collectors.toList()))
        .isEqualTo(t.columns().stream().map(Column::name).collect(Collectors.toList()));
    assertThat(new Schema.Parser().parse(row.toString())).isEqualTo(row);
  }

  @Test
  void keySchemaHoldsThePrimaryKeyInKeyOrderAndIsNeverNull() {
    TableSchema t =
        new TableSchema(
            new TableId("shop", "public", "orders"),
            List.of(
                Column.of("a", ColumnKind.STRING, true, "text"),
                Column.of("b", ColumnKind.INT32, false, "int"),
                Column.of("c", ColumnKind.STRING, true, "text")),
            List.of("b", "a"));
    Schema key = AvroSchemas.keySchema(t, "tributary.shop.public.orders");
    assertThat(key.getFullName()).isEqualTo("tributary.shop.public.orders.Key");
    assertThat(key.getFields()).extracting(Schema.Field::name).containsExactly("b", "a");
    assertThat(key.getField("a").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
    assertThat(key.getField("b").schema()).isEqualTo(Schema.create(Schema.Type.INT));
  }

  @Test
  void keySchemaOfATableWithoutPrimaryKeyFails() {
    TableSchema t =
        new TableSchema(
            new TableId("shop", "public", "log"), List.of(Column.of("a", ColumnKind.STRING, true, "text")), List.of());
    assertThatThrownBy(() -> AvroSchemas.keySchema(t, "ns"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop.public.log")
        .hasMessageContaining("no primary key");
  }

  @Test
  void envelopeHasTheDebeziumShape() {
    Schema env = AvroSchemas.envelopeSchema(TestTables.allKinds(), TestTables.NS);
    assertThat(env.getFullName()).isEqualTo("tributary.shop.public.all_kinds.Envelope");
    assertThat(env.getFields())
        .extracting(Schema.Field::name)
        .containsExactly("before", "after", "source", "op", "ts_ms");
    Schema value = AvroSchemas.rowSchema(TestTables.allKinds(), TestTables.NS);
    for (String image : List.of("before", "after")) {
      Schema.Field f = env.getField(image);
      assertThat(f.schema().getTypes()).containsExactly(Schema.create(Schema.Type.NULL), value);
      assertThat(f.defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
    }
    assertThat(env.getField("source").schema()).isEqualTo(AvroSchemas.sourceSchema());
    assertThat(env.getField("op").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(env.getField("ts_ms").schema().getType()).isEqualTo(Schema.Type.LONG);
    // valid Avro that survives a registry round trip as text
    assertThat(new Schema.Parser().parse(env.toString())).isEqualTo(env);
  }

  @Test
  void sourceSchemaHasEverySourceField() {
    Schema s = AvroSchemas.sourceSchema();
    assertThat(s.getFullName()).isEqualTo("io.tributary.Source");
    assertThat(s.getFields())
        .extracting(Schema.Field::name)
        .containsExactly(
            "connector", "name", "db", "schema", "table", "ts_ms", "snapshot", "lsn", "txId", "file", "pos",
            "server_id", "gtid", "ordering");
    assertThat(s.getField("connector").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(s.getField("db").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(s.getField("table").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(s.getField("ts_ms").schema().getType()).isEqualTo(Schema.Type.LONG);
    assertThat(s.getField("snapshot").schema().getType()).isEqualTo(Schema.Type.BOOLEAN);
    assertThat(s.getField("ordering").schema().getType()).isEqualTo(Schema.Type.LONG);
    Schema optLong = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.LONG));
    Schema optStr = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    for (String f : List.of("lsn", "txId", "pos", "server_id")) {
      assertThat(s.getField(f).schema()).as(f).isEqualTo(optLong);
      assertThat(s.getField(f).defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
    }
    for (String f : List.of("name", "schema", "file", "gtid")) {
      assertThat(s.getField(f).schema()).as(f).isEqualTo(optStr);
    }
  }

  @Test
  void avroNameSanitizes() {
    assertThat(AvroSchemas.avroName("order_id9")).isEqualTo("order_id9");
    assertThat(AvroSchemas.avroName("_x")).isEqualTo("_x");
    assertThat(AvroSchemas.avroName("order-id")).isEqualTo("order_id");
    assertThat(AvroSchemas.avroName("1st")).isEqualTo("_1st");
    assertThat(AvroSchemas.avroName("naïve col")).isEqualTo("na_ve_col");
    assertThat(AvroSchemas.avroName("")).isEqualTo("_");
    assertThat(AvroSchemas.avroNamespace("tributary.my-db.public.1x")).isEqualTo("tributary.my_db.public._1x");
    assertThat(AvroSchemas.avroNamespace(null)).isNull();
    assertThat(AvroSchemas.namespace("tributary", new TableId("my-db", null, "t.1"))).isEqualTo("tributary.my_db.t_1");
  }

  @Test
  void sanitizedColumnsKeepTheirSourceName() {
    TableSchema t =
        new TableSchema(
            new TableId("d", "s", "weird-table"),
            List.of(Column.of("order-id", ColumnKind.INT64, false, "bigint"), Column.of("ok", ColumnKind.INT32, true, "int")),
            List.of("order-id"));
    Schema row = AvroSchemas.rowSchema(t, "tributary.d.s.weird-table");
    assertThat(row.getNamespace()).isEqualTo("tributary.d.s.weird_table");
    Schema.Field f = row.getField("order_id");
    assertThat(f.getProp(AvroSchemas.COLUMN_NAME_PROP)).isEqualTo("order-id");
    assertThat(AvroSchemas.columnName(f)).isEqualTo("order-id");
    assertThat(row.getField("ok").getProp(AvroSchemas.COLUMN_NAME_PROP)).isNull();
    assertThat(AvroSchemas.keySchema(t, "ns").getField("order_id")).isNotNull();
  }

  @Test
  void columnsCollidingAfterSanitizingFailClearly() {
    TableSchema t =
        new TableSchema(
            new TableId("d", "s", "t"),
            List.of(Column.of("a-b", ColumnKind.INT64, false, "bigint"), Column.of("a_b", ColumnKind.INT32, true, "int")),
            List.of());
    assertThatThrownBy(() -> AvroSchemas.rowSchema(t, "ns"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("d.s.t")
        .hasMessageContaining("'a-b'")
        .hasMessageContaining("'a_b'");
  }
}
