package io.tributary.sink.hudi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * Test access to a Hudi sink's own writer, to change a table behind the pipeline's back (as another writer would).
 * Lives in the sink's package because the writer is package-private. The pipeline must be stopped: Hudi allows one
 * writer per table, and a second writer's commit would roll back the pipeline's pending instant.
 */
public final class HudiBackdoor {
  private HudiBackdoor() {}

  /**
   * Deletes one row from a table of a Hudi sink in its own commit, with the highest ordering value, so that it wins
   * over every stored version of the row.
   *
   * @param sink the configured sink (from the pipeline's plan)
   * @param table the source table whose Hudi table to change
   * @param key the primary key columns of the row, values in the classes {@link ChangeEvent} uses
   * @return the completed instant
   */
  public static String delete(HudiPipelineSink sink, TableSchema table, Map<String, Object> key) {
    HudiSinkConfig config = sink.config();
    SourceInfo source = SourceInfo.builder().connector("test").table(table.tableId()).ordering(Long.MAX_VALUE)
        .build();
    ChangeEvent delete = ChangeEvent.delete(table.tableId(), key, source, System.currentTimeMillis());
    BufferedRow row = new HudiRowEncoder(config, table).encode(delete);
    try (HudiTableWriter writer = HudiTableWriter.open(config, table)) {
      PendingCommit pending = writer.write(List.of(row), 0);
      if (!writer.commit(pending, 0)) {
        throw new IllegalStateException("instant " + pending.instantTime + " was already committed");
      }
      return pending.instantTime;
    }
  }
}
