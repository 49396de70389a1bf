package io.tributary.config.spi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/** A configured sink: prepares on the client (schemas, topics, tables), then adds itself to a Flink job. */
public interface PipelineSink {
  /**
   * Runs once on the client before the job starts: derives the schemas of every table, registers them (Kafka) or
   * initializes tables (Hudi), and checks compatibility, so that no parallel writer registers anything.
   *
   * @throws Exception with a message naming the table, subject or path when preparation fails (for example the
   *     registry rejects a schema as incompatible: HTTP 409, error code 40901)
   */
  void prepare(List<TableSchema> tables) throws Exception;

  /**
   * Checks, before anything is deployed and without changing anything, every reason {@link #prepare} or the job would
   * fail for these tables: the sink's services unreachable, schemas its registry subjects would refuse under their
   * compatibility level, existing tables that do not match. Used by {@code tributary validate --live}.
   *
   * @param tables the tables the source discovered
   * @return one human-readable problem per reason, naming table, subject or path; empty when none (the default for
   *     sinks with nothing to check)
   */
  default List<String> preflight(List<TableSchema> tables) {
    return List.of();
  }

  /**
   * Adds the sink to the job. Operators get stable uids derived from {@link SinkContext#sinkName()}.
   *
   * @param events every change event of the pipeline, from all tables
   * @param tables the tables passed to {@link #prepare}
   */
  void attach(DataStream<ChangeEvent> events, List<TableSchema> tables);
}
