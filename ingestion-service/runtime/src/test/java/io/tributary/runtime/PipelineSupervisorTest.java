package io.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's pure parts: what changed between two plans, retired columns and their file. */
class PipelineSupervisorTest {
  private static final TableId ITEMS = new TableId("shop", "public", "items");

  @TempDir Path state;

  private static TableSchema items(Column... columns) {
    return new TableSchema(ITEMS, List.of(columns), List.of("id"));
  }

  private static PipelinePlan plan(TableSchema... tables) {
    return new PipelinePlan(null, null, List.of(), new SourceDiscovery(List.of(tables), Map.of(), List.of(), List.of()));
  }

  private static final Column ID = Column.of("id", ColumnKind.INT32, false, "integer");
  private static final Column QTY = Column.of("qty", ColumnKind.INT32, false, "integer");
  private static final Column QUANTITY = Column.of("quantity", ColumnKind.INT32, false, "integer");
  private static final Column NOTE = Column.of("note", ColumnKind.STRING, true, "varchar(40)");

  @Test
  void describesAddedDroppedAndChangedColumns() {
    assertThat(PipelineSupervisor.describe(items(ID, QTY), items(ID, QTY, NOTE)))
        .isEqualTo("column(s) added note (varchar(40))");
    assertThat(PipelineSupervisor.describe(items(ID, QTY), items(ID, QUANTITY)))
        .isEqualTo("column(s) added quantity (integer NOT NULL); dropped qty");
    assertThat(PipelineSupervisor.describe(items(ID, QTY),
            items(ID, Column.of("qty", ColumnKind.INT64, false, "bigint"))))
        .isEqualTo("changed qty (integer NOT NULL -> bigint NOT NULL)");
    assertThat(PipelineSupervisor.describe(null, items(ID))).isEqualTo("new table");
  }

  @Test
  void droppedColumnsBecomeRetiredUntilTheyComeBack() {
    PipelinePlan before = plan(items(ID, QTY, NOTE));
    PipelinePlan after = plan(items(ID, QUANTITY));
    Map<String, Set<String>> retired = PipelineSupervisor.retiredColumns(before, after);
    assertThat(retired).containsOnlyKeys("shop.public.items");
    assertThat(retired.get("shop.public.items")).containsExactly("note", "qty");

    PipelinePlan next = PipelineSupervisor.withRetired(after, retired);
    assertThat(next.tables().get(0).retiredColumns()).containsExactlyInAnyOrder("note", "qty");
    // a retired column that is back in the table is not retired any more
    PipelinePlan back = PipelineSupervisor.withRetired(plan(items(ID, QUANTITY, NOTE)), retired);
    assertThat(back.tables().get(0).retiredColumns()).containsExactly("qty");
  }

  @Test
  void retiredColumnsSurviveInTheStateDirectory() {
    PipelinePlan plan = plan(items(ID, QUANTITY).withRetiredColumns(List.of("qty", "note")));
    PipelineSupervisor.writeRetired(state, plan);
    assertThat(PipelineSupervisor.readRetired(state)).isEqualTo(Map.of("shop.public.items", Set.of("note", "qty")));
    assertThat(PipelineSupervisor.readRetired(state.resolve("missing"))).isEmpty();
  }
}
