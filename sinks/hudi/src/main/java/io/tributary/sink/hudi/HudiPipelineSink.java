package io.tributary.sink.hudi;

import io.tributary.config.spi.PipelineSink;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured Hudi sink.
 *
 * <p>{@link #prepare} runs once on the client: for every table it checks there is a primary key (the record key),
 * derives the Hudi row schema ({@link HudiRows}) and creates the Hudi table at its rendered path unless one exists
 * (an existing table must have the same type and record key). {@link #attach} adds one operator, uid {@code
 * tributary-<sink>-writer}: the stream keyed by table, so that each table has exactly one writer that commits
 * (parallel subtasks never race on one timeline), writing and committing as {@link HudiWriteOperator} describes:
 * one Hudi commit per table per completed checkpoint, exactly once.
 *
 * <p>Compaction (MERGE_ON_READ) runs inline in the committing operator right after a commit, every {@code
 * compaction.delta.commits} delta commits; it delays the next checkpoint's write while it runs. Asynchronous
 * compaction (a separate operator or process) is not offered yet.
 */
public final class HudiPipelineSink implements PipelineSink {
  private static final Logger LOG = LoggerFactory.getLogger(HudiPipelineSink.class);

  private final HudiSinkConfig config;
  private Set<Object> prepared;

  /** @param config the resolved settings, see {@link HudiSinkFactory#config} */
  public HudiPipelineSink(HudiSinkConfig config) {
    this.config = config;
  }

  /** The sink's settings. */
  public HudiSinkConfig config() {
    return config;
  }

  /**
   * Creates every table's Hudi table if absent (see the class comment).
   *
   * @throws HudiSinkException naming the tables without a primary key, a column clashing with a metadata column,
   *     or an existing table of another type or record key
   * @throws IOException if the file system of a base path fails
   */
  @Override
  public void prepare(List<TableSchema> tables) throws IOException {
    List<String> noKey = new ArrayList<>();
    for (TableSchema t : tables) {
      if (t.primaryKey().isEmpty()) {
        noKey.add(t.tableId().toString());
      }
    }
    if (!noKey.isEmpty()) {
      throw new HudiSinkException("sink " + config.sinkName() + ": table" + (noKey.size() == 1 ? " " : "s ")
          + String.join(", ", noKey) + (noKey.size() == 1 ? " has" : " have")
          + " no primary key; the hudi sink needs one for the Hudi record key."
          + " Add a primary key or leave the table out of source.tables");
    }
    Set<Object> ids = new LinkedHashSet<>();
    for (TableSchema t : tables) {
      try {
        HudiRows.schema(t, config.tableName(t.tableId()));
      } catch (IllegalArgumentException e) {
        throw new HudiSinkException("sink " + config.sinkName() + ": " + e.getMessage(), e);
      }
      boolean created = HudiTableWriter.initTable(config, t);
      LOG.info("Sink {}: table {} -> Hudi table {} at {} ({})", config.sinkName(), t.tableId(),
          config.tableName(t.tableId()), config.basePath(t.tableId()), created ? "created" : "exists");
      ids.add(t.tableId());
    }
    prepared = ids;
  }

  /**
   * Checks without creating anything (see {@link PipelineSink#preflight}): a primary key per table, and for a Hudi table
   * already at a table's path, the same type, record key and partitioning, and a schema it can evolve to.
   */
  @Override
  public List<String> preflight(List<TableSchema> tables) {
    List<String> problems = new ArrayList<>();
    for (TableSchema t : tables) {
      String prefix = "sink " + config.sinkName() + ": table " + t.tableId();
      if (t.primaryKey().isEmpty()) {
        problems.add(prefix + " has no primary key (needed for the Hudi record key)");
        continue;
      }
      try {
        HudiRows.schema(t, config.tableName(t.tableId()));
        List<String> existing = HudiTableWriter.existingTableProblems(config, t);
        if (existing != null && !existing.isEmpty()) {
          problems.add(prefix + ": the existing Hudi table at " + config.basePath(t.tableId()) + " does not match: "
              + String.join("; ", existing));
        }
      } catch (IOException | RuntimeException e) {
        problems.add(prefix + ": cannot check the Hudi table at " + config.basePath(t.tableId()) + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Adds the writer operator (see the class comment), at the parallelism of {@code events}.
   *
   * @throws IllegalStateException if {@link #prepare} has not run, or ran for other tables
   */
  @Override
  public void attach(DataStream<ChangeEvent> events, List<TableSchema> tables) {
    if (prepared == null) {
      throw new IllegalStateException("sink " + config.sinkName() + ": prepare(tables) must run before attach");
    }
    for (TableSchema t : tables) {
      if (!prepared.contains(t.tableId())) {
        throw new IllegalStateException(
            "sink " + config.sinkName() + ": table " + t.tableId() + " was not passed to prepare(tables)");
      }
    }
    String name = config.sinkName();
    events
        .keyBy(new TableKey())
        .transform("Hudi writer (" + name + ")", Types.VOID, new HudiWriteOperator(config, tables))
        .uid("tributary-" + name + "-writer")
        .setParallelism(events.getParallelism());
  }

  /** Keys change events by table ({@link io.tributary.schema.TableId#toString()}). */
  static final class TableKey implements KeySelector<ChangeEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(ChangeEvent e) {
      return HudiWriteOperator.key(e);
    }
  }
}
