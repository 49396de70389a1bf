package io.tributary.config.spi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A configured source: discovers its tables on the client, then adds itself to a Flink job. */
public interface PipelineSource {
  /**
   * Connects to the source database, resolves the table names and patterns, maps every column type and reads
   * primary keys and row estimates. Runs on the client before the job is built.
   *
   * @throws Exception if the database cannot be reached or the credentials are refused; the message says which
   *     host, port and user
   */
  SourceDiscovery discover() throws Exception;

  /**
   * Adds the source to the job and returns its stream of change events (snapshot rows first, then log changes,
   * per the startup mode). The operator gets a stable uid so that restoring from a checkpoint works.
   *
   * @param tables the tables returned by {@link #discover()}, without problems
   */
  DataStream<ChangeEvent> createStream(StreamExecutionEnvironment env, List<TableSchema> tables);
}
