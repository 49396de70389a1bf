package io.tributary.runtime;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.TableSchema;
import java.util.List;

/**
 * A pipeline ready to become a Flink job: its definition, the source and sinks created by their factories, and
 * what the source discovered (tables, row estimates) on the client.
 *
 * @param definition the validated definition
 * @param source the configured source
 * @param sinks the configured sinks, in {@code sinks:} order
 * @param discovery the source's discovery, without problems
 */
public record PipelinePlan(
    PipelineDefinition definition, PipelineSource source, List<PipelineSink> sinks, SourceDiscovery discovery) {
  /** The captured tables. */
  public List<TableSchema> tables() {
    return discovery.tables();
  }

  /** Total estimated rows over all tables (for snapshot progress); tables without an estimate count 0. */
  public long estimatedRows() {
    return discovery.estimatedRows().values().stream().mapToLong(v -> Math.max(0, v)).sum();
  }
}
