package io.tributary.runtime.check;

import io.tributary.config.PipelineDefinition;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares every table of a pipeline in its source with each Kafka and Hudi sink, once: Kafka by folding the topic to
 * its latest state per key ({@code read_committed}), Hudi by a Spark snapshot query in a child JVM. The pipeline
 * should be stopped or caught up; rows changing during the check show as differences. For a running pipeline use
 * {@link PipelineVerifier}, which waits for the sinks to catch up and re-checks differences.
 */
public final class ConsistencyCheck {
  private ConsistencyCheck() {}

  /**
   * @param sourceReader reads one source table (for PostgreSQL: {@link JdbcTableReader})
   * @return one comparison per table and sink, in table then sink order
   * @throws Exception if a side cannot be read
   */
  public static List<TableComparison> run(
      PipelineDefinition def, List<TableSchema> tables, SourceReader sourceReader) throws Exception {
    List<CheckSink> sinks = CheckSink.of(def);
    // one read per sink covers all of its tables (a Spark start costs seconds)
    Map<String, Map<TableId, TableRows>> sinkRows = new LinkedHashMap<>();
    for (CheckSink s : sinks) {
      sinkRows.put(s.name(), s.read(tables, null));
    }
    List<TableComparison> out = new ArrayList<>();
    for (TableSchema t : tables) {
      TableRows source = sourceReader.read(t);
      for (CheckSink s : sinks) {
        out.add(TableComparison.compare(source, sinkRows.get(s.name()).get(t.tableId())));
      }
    }
    return out;
  }

  /** Reads one table of the source. */
  @FunctionalInterface
  public interface SourceReader {
    /** @throws Exception if the table cannot be read */
    TableRows read(TableSchema table) throws Exception;
  }

  /** A source reader over JDBC. */
  public static SourceReader jdbc(String jdbcUrl, String user, String password) {
    return t -> JdbcTableReader.read(jdbcUrl, user, password, t);
  }
}
