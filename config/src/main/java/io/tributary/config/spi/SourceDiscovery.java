package io.tributary.config.spi;

import io.tributary.config.ConfigProblem;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * What a source found when it connected: the tables its patterns matched, mapped to Tributary types, and the
 * problems that would stop the pipeline (no table matched, a column of an unmapped type, no primary key, ...).
 *
 * @param tables matched tables with mapped columns and primary keys, sorted by table id
 * @param estimatedRows estimated row count per table (for snapshot progress), may miss tables
 * @param problems problems found; the pipeline must not start while any exists
 * @param warnings things that work but that the owner should know (for example replica identity not FULL)
 */
public record SourceDiscovery(
    List<TableSchema> tables, Map<TableId, Long> estimatedRows, List<ConfigProblem> problems, List<String> warnings) {
  /** Copies every collection into an unmodifiable one. */
  public SourceDiscovery {
    tables = List.copyOf(tables);
    estimatedRows = Map.copyOf(estimatedRows);
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }
}
