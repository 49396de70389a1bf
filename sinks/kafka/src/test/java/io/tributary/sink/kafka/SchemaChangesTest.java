package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroSchemas;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaChangesTest {
  static final TableSchema V1 = ChangeRecordSerializerTest.SCHEMA;

  @Test
  void namesTheColumnWhoseTypeChanged() {
    TableSchema v2 =
        new TableSchema(
            V1.tableId(),
            List.of(
                Column.of("id", ColumnKind.INT64, false, "bigint"),
                Column.of("customer", ColumnKind.INT64, true, "bigint"),
                new Column("amount", ColumnKind.DECIMAL, true, 5, 2, "numeric(5,2)")),
            List.of("id"));

    List<String> reasons =
        SchemaChanges.explain(CompatibilityLevel.BACKWARD, envelope(v2), envelope(V1));

    assertThat(reasons)
        .containsExactly(
            "the new schema cannot read data written with the latest one: field customer: reader union lacking"
                + " writer type: STRING (MISSING_UNION_BRANCH)");
  }

  @Test
  void forwardFlagsARemovedRequiredColumnOnlyInThatDirection() {
    TableSchema v2 =
        new TableSchema(
            V1.tableId(),
            List.of(
                Column.of("id", ColumnKind.INT64, false, "bigint"),
                Column.of("customer", ColumnKind.STRING, true, "text"),
                new Column("amount", ColumnKind.DECIMAL, true, 5, 2, "numeric(5,2)"),
                Column.of("region", ColumnKind.STRING, false, "text")),
            List.of("id"));
    Schema newRow = AvroSchemas.rowSchema(v2, "ns");
    Schema oldRow = AvroSchemas.rowSchema(V1, "ns");

    assertThat(SchemaChanges.explain(CompatibilityLevel.BACKWARD, newRow, oldRow))
        .singleElement()
        .asString()
        .contains("region")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(SchemaChanges.explain(CompatibilityLevel.FORWARD, newRow, oldRow)).isEmpty();
  }

  private static Schema envelope(TableSchema t) {
    return AvroSchemas.envelopeSchema(t, AvroSchemas.namespace("tributary", t.tableId()));
  }
}
