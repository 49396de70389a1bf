package io.tributary.source.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.time.MicroTimestamp;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class RecordShapesTest {
  private static final TableSchema TABLE = new TableSchema(
      new TableId("db", "public", "t"),
      List.of(Column.of("id", ColumnKind.INT32, false, "integer"), Column.of("name", ColumnKind.STRING, true, "text")),
      List.of("id"));

  private static Schema shape(boolean withName, boolean withExtra) {
    SchemaBuilder b = SchemaBuilder.struct().name("db.public.t.Value").field("id", Schema.INT32_SCHEMA);
    if (withName) {
      b.field("name", Schema.OPTIONAL_STRING_SCHEMA);
    }
    if (withExtra) {
      b.field("price", Decimal.builder(2).optional().build());
      b.field("at", SchemaBuilder.int64().name(MicroTimestamp.SCHEMA_NAME).optional().build());
    }
    return b.build();
  }

  @Test
  void fieldsFollowColumnOrderAndAreCheckedOncePerShape() {
    List<Struct> checked = new ArrayList<>();
    RecordShapes shapes = new RecordShapes((t, s) -> checked.add(s));
    Schema full = shape(true, false);
    Struct a = new Struct(full).put("id", 1).put("name", "a");
    Struct b = new Struct(full).put("id", 2);

    Field[] fa = shapes.fields(TABLE, a);
    assertThat(fa).extracting(Field::name).containsExactly("id", "name");
    assertThat(shapes.fields(TABLE, b)).isSameAs(fa);
    assertThat(checked).containsExactly(a);

    Schema narrow = shape(false, false);
    Field[] fn = shapes.fields(TABLE, new Struct(narrow).put("id", 3));
    assertThat(fn[0].name()).isEqualTo("id");
    assertThat(fn[1]).isNull();
    assertThat(checked).hasSize(2);
    // an equal but distinct schema instance is a new shape (identity, as Debezium builds one per shape)
    shapes.fields(TABLE, new Struct(shape(true, false)).put("id", 4));
    assertThat(checked).hasSize(3);
  }

  @Test
  void aRefusedShapeIsNotCached() {
    int[] calls = {0};
    RecordShapes shapes = new RecordShapes((t, s) -> {
      calls[0]++;
      throw new IllegalStateException("refused " + t.tableId().table());
    });
    Struct s = new Struct(shape(true, false)).put("id", 1);
    assertThatThrownBy(() -> shapes.fields(TABLE, s)).hasMessage("refused t");
    assertThatThrownBy(() -> shapes.fields(TABLE, s)).hasMessage("refused t");
    assertThat(calls[0]).isEqualTo(2);
  }

  @Test
  void recordColumnsDescribeConnectTypes() {
    Struct s = new Struct(shape(true, true)).put("id", 1).put("price", new BigDecimal("1.00"));
    Map<String, String> columns = RecordShapes.recordColumns(s);
    assertThat(columns).containsExactly(
        Map.entry("id", "INT32"),
        Map.entry("name", "STRING"),
        Map.entry("price", "DECIMAL(scale 2)"),
        Map.entry("at", "INT64 MicroTimestamp"));
  }

  @Test
  void envelopeOpsAndOptionalFields() {
    assertThat(DebeziumEnvelope.op("r")).isEqualTo(Op.READ);
    assertThat(DebeziumEnvelope.op("c")).isEqualTo(Op.CREATE);
    assertThat(DebeziumEnvelope.op("u")).isEqualTo(Op.UPDATE);
    assertThat(DebeziumEnvelope.op("d")).isEqualTo(Op.DELETE);
    assertThat(DebeziumEnvelope.op("t")).isNull();
    assertThat(DebeziumEnvelope.op(null)).isNull();
    Struct s = new Struct(shape(false, false)).put("id", 7);
    assertThat(DebeziumEnvelope.optional(s, "id")).isEqualTo(7);
    assertThat(DebeziumEnvelope.optional(s, "name")).isNull();
  }
}
