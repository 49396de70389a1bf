package io.tributary.config;

import java.util.List;
import java.util.Objects;

/**
 * A valid pipeline definition and the warnings found while parsing it.
 *
 * <p>Warnings are things that work but that the owner should fix, for example a secret written as plain text in the
 * file instead of a {@code ${env:NAME}} or {@code ${file:PATH}} reference. They never stop a pipeline. They carry a
 * path and line like problems, and never contain a secret value.
 *
 * @param definition the parsed and validated definition, never null
 * @param warnings warnings in document order, possibly empty
 */
public record ParseResult(PipelineDefinition definition, List<ConfigProblem> warnings) {
  /** Copies {@code warnings}; rejects a null definition. */
  public ParseResult {
    Objects.requireNonNull(definition, "definition");
    warnings = List.copyOf(warnings);
  }
}
