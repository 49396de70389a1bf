package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.data.Envelope;
import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.SchemaChangeException;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;

/**
 * Records whose columns differ from the table's schema (a DDL in the source), per {@code schema.change.behavior}:
 * the shapes Debezium gives after ADD COLUMN, DROP COLUMN and ALTER COLUMN TYPE.
 */
class PostgresSchemaDriftTest {
  private static final TableId TABLE = new TableId("shop", "public", "items");
  private static final TableSchema ITEMS =
      new TableSchema(
          TABLE,
          List.of(
              Column.of("id", ColumnKind.INT32, false, "integer"),
              Column.of("name", ColumnKind.STRING, false, "varchar(40)"),
              Column.of("qty", ColumnKind.INT32, true, "integer")),
          List.of("id"));

  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("connector", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  /** The value schema with these extra fields after id (name, type) pairs; nulls leave a column out. */
  private static Schema rowSchema(boolean withQty, Schema qtyType, String extraName) {
    SchemaBuilder b = SchemaBuilder.struct().name("pg.public.items.Value").field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.STRING_SCHEMA);
    if (withQty) {
      b.field("qty", qtyType);
    }
    if (extraName != null) {
      b.field(extraName, Schema.OPTIONAL_STRING_SCHEMA);
    }
    return b.build();
  }

  private static SourceRecord insert(Schema row, Map<String, Object> values) {
    Envelope envelope = Envelope.defineSchema().withName("pg.public.items.Envelope").withRecord(row)
        .withSource(SOURCE).build();
    Struct after = new Struct(row);
    values.forEach(after::put);
    Struct source = new Struct(SOURCE).put("connector", "postgresql").put("ts_ms", 1L).put("db", "shop")
        .put("schema", "public").put("table", "items").put("lsn", 100L);
    Struct value = envelope.create(after, source, Instant.EPOCH);
    return new SourceRecord(Map.of(), Map.of(), "pg.public.items", null, null, null, envelope.schema(), value);
  }

  private static PostgresChangeEventDeserializer deserializer(TableSchema table, SchemaChangeBehavior behavior) {
    return new PostgresChangeEventDeserializer("shop", List.of(table), behavior);
  }

  private static SchemaChangeException stopOf(Runnable r) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(r::run);
    assertThat(t).isInstanceOf(SuppressRestartsException.class);
    assertThat(t.getCause()).isInstanceOf(SchemaChangeException.class);
    return (SchemaChangeException) t.getCause();
  }

  @Test
  void matchingShapeConverts() {
    ChangeEvent e = deserializer(ITEMS, SchemaChangeBehavior.FAIL)
        .convert(insert(rowSchema(true, Schema.OPTIONAL_INT32_SCHEMA, null), Map.of("id", 1, "name", "a", "qty", 3)));
    assertThat(e.after()).containsExactly(Map.entry("id", 1), Map.entry("name", "a"), Map.entry("qty", 3));
  }

  @Test
  void addedColumnStopsUnderEvolveAndFailNamingTableAndColumn() {
    SourceRecord r = insert(rowSchema(true, Schema.OPTIONAL_INT32_SCHEMA, "note"),
        Map.of("id", 1, "name", "a", "qty", 3, "note", "hi"));
    SchemaChangeException evolve = stopOf(() -> deserializer(ITEMS, SchemaChangeBehavior.EVOLVE).convert(r));
    assertThat(evolve.table()).isEqualTo("shop.public.items");
    assertThat(evolve.added()).containsExactly("note (STRING)");
    assertThat(evolve.behavior()).isEqualTo(SchemaChangeBehavior.EVOLVE);
    assertThat(evolve.getMessage()).startsWith("Schema change in table shop.public.items: column(s) added note (STRING)");

    SchemaChangeException fail = stopOf(() -> deserializer(ITEMS, SchemaChangeBehavior.FAIL).convert(r));
    assertThat(fail.getMessage()).contains("schema.change.behavior is fail").contains("resumes from its last checkpoint");
    assertThat(SchemaChangeException.find(new RuntimeException("job failed", new RuntimeException(fail.getMessage()))))
        .get().satisfies(found -> {
          assertThat(found.table()).isEqualTo("shop.public.items");
          assertThat(found.behavior()).isEqualTo(SchemaChangeBehavior.FAIL);
        });
  }

  @Test
  void ignoreDropsTheAddedColumn() {
    ChangeEvent e = deserializer(ITEMS, SchemaChangeBehavior.IGNORE).convert(insert(
        rowSchema(true, Schema.OPTIONAL_INT32_SCHEMA, "note"), Map.of("id", 1, "name", "a", "qty", 3, "note", "hi")));
    assertThat(e.after()).containsOnlyKeys("id", "name", "qty");
  }

  @Test
  void missingNullableColumnReadsNullUnderEvolveButStopsUnderFail() {
    SourceRecord r = insert(rowSchema(false, null, null), Map.of("id", 1, "name", "a"));
    ChangeEvent e = deserializer(ITEMS, SchemaChangeBehavior.EVOLVE).convert(r);
    assertThat(e.after()).containsEntry("qty", null).containsEntry("name", "a");
    assertThat(stopOf(() -> deserializer(ITEMS, SchemaChangeBehavior.FAIL).convert(r)).missing()).containsExactly("qty");
  }

  @Test
  void retiredColumnsOfReplayedChangesAreIgnored() {
    TableSchema afterDrop = ITEMS.withRetiredColumns(List.of("note"));
    ChangeEvent e = deserializer(afterDrop, SchemaChangeBehavior.EVOLVE).convert(insert(
        rowSchema(true, Schema.OPTIONAL_INT32_SCHEMA, "note"), Map.of("id", 1, "name", "a", "qty", 3, "note", "hi")));
    assertThat(e.after()).containsOnlyKeys("id", "name", "qty");
  }

  @Test
  void narrowerValuesOfAWidenedColumnAreRead() {
    TableSchema widened = new TableSchema(TABLE, List.of(ITEMS.columns().get(0), ITEMS.columns().get(1),
        Column.of("qty", ColumnKind.INT64, true, "bigint")), List.of("id"));
    ChangeEvent e = deserializer(widened, SchemaChangeBehavior.EVOLVE).convert(
        insert(rowSchema(true, Schema.OPTIONAL_INT32_SCHEMA, null), Map.of("id", 1, "name", "a", "qty", 3)));
    assertThat(e.after()).containsEntry("qty", 3L);
  }

  @Test
  void changedColumnTypeStopsUnderEvolve() {
    SourceRecord r = insert(rowSchema(true, Schema.OPTIONAL_INT64_SCHEMA, null), Map.of("id", 1, "name", "a", "qty", 3L));
    SchemaChangeException e = stopOf(() -> deserializer(ITEMS, SchemaChangeBehavior.EVOLVE).convert(r));
    assertThat(e.retyped()).containsExactly("qty (integer -> INT64)");
    assertThat(e.getMessage()).contains("column type(s) changed qty (integer -> INT64)");
  }
}
