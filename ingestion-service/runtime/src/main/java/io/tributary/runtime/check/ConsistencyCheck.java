package io.tributary.runtime.check;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.SinkDefinition;
import io.tributary.config.Templates;
import io.tributary.schema.TableSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.spark.HudiSparkReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares every table of a pipeline in its source with each Kafka and Hudi sink: Kafka by folding the topic to its
 * latest state per key ({@code read_committed}), Hudi by a Spark snapshot query in a child JVM. The pipeline should
 * be stopped or caught up; rows changing during the check show as differences.
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
    List<TableComparison> out = new ArrayList<>();
    SchemaRegistryClient registry =
        def.schema().registryUrl() == null ? null : new SchemaRegistryClient(def.schema().registryUrl());
    // one Spark JVM per Hudi sink reads all of its tables (a Spark start costs seconds)
    Map<Integer, Map<Path, List<Map<String, Object>>>> lake = new HashMap<>();
    for (SinkDefinition s : def.sinks()) {
      if (s.type().equals("hudi")) {
        List<Path> paths = new ArrayList<>();
        for (TableSchema t : tables) {
          paths.add(hudiPath(s, t));
        }
        lake.put(s.index(), HudiSparkReader.readAll(paths, Map.of()));
      }
    }
    for (TableSchema t : tables) {
      TableRows source = sourceReader.read(t);
      for (SinkDefinition s : def.sinks()) {
        TableRows sink = new TableRows(t, s.type() + "-" + s.index());
        if (s.type().equals("kafka")) {
          String topic = Templates.render(s.options().getString("topic"), t.tableId());
          KafkaTopicReader.read(s.options().getString("bootstrap.servers"), topic, registry, sink);
        } else if (s.type().equals("hudi")) {
          for (Map<String, Object> row : lake.get(s.index()).getOrDefault(hudiPath(s, t), List.of())) {
            sink.put(row);
          }
        } else {
          continue;
        }
        out.add(TableComparison.compare(source, sink));
      }
    }
    return out;
  }

  private static Path hudiPath(SinkDefinition s, TableSchema t) {
    return toPath(Templates.render(s.options().getString("path"), t.tableId()));
  }

  static Path toPath(String uriOrPath) {
    return uriOrPath.startsWith("file:") ? Path.of(java.net.URI.create(uriOrPath)) : Path.of(uriOrPath);
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
