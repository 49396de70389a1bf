package io.tributary.config;

import java.util.List;

/**
 * A parsed, validated pipeline: the whole YAML file as records.
 *
 * @param pipeline the {@code pipeline:} block
 * @param source the {@code source:} block
 * @param schema the {@code schema:} block
 * @param sinks the {@code sinks:} list, at least one
 * @param errors the {@code errors:} block (defaults when absent)
 * @param file the file it came from, or null when parsed from a string
 */
public record PipelineDefinition(
    PipelineSettings pipeline,
    SourceDefinition source,
    SchemaSettings schema,
    List<SinkDefinition> sinks,
    ErrorSettings errors,
    String file) {
  /** Copies {@code sinks} into an unmodifiable list. */
  public PipelineDefinition {
    sinks = List.copyOf(sinks);
  }
}
