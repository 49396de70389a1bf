package io.tributary.runtime.check;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.SinkDefinition;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sink of a pipeline as the consistency check reads it: the latest state of every table it holds. Implemented
 * for Kafka ({@link KafkaCheckSink}) and Hudi ({@link HudiCheckSink}).
 */
public interface CheckSink {
  /** The sink's name in reports: its type and index in {@code sinks:}, for example {@code kafka-0}. */
  String name();

  /**
   * Reads the current state of some tables.
   *
   * @param tables the tables to read, at least one
   * @param onlyKeys per table, the keys to keep (see {@link TableRows#TableRows(TableSchema, String, Set)}); a table
   *     absent from the map, or a null map, keeps every key
   * @return the rows per table, side {@link #name()}, one entry per table asked for
   * @throws CheckException if the sink cannot be read (unreachable, topic or table missing, reader failure)
   */
  Map<TableId, TableRows> read(List<TableSchema> tables, Map<TableId, Set<String>> onlyKeys) throws CheckException;

  /**
   * The checkable sinks of a pipeline, in {@code sinks:} order: {@code kafka} and {@code hudi}; other types are left
   * out.
   *
   * @throws CheckException if a sink's settings rule out a check (a Hudi path that is not on the local file system)
   */
  static List<CheckSink> of(PipelineDefinition def) throws CheckException {
    java.util.ArrayList<CheckSink> out = new java.util.ArrayList<>();
    for (SinkDefinition s : def.sinks()) {
      if (s.type().equals("kafka")) {
        out.add(new KafkaCheckSink(def, s));
      } else if (s.type().equals("hudi")) {
        out.add(new HudiCheckSink(s));
      }
    }
    return out;
  }
}
