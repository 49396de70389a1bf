package io.tributary.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a pipeline definition has one or more problems; carries all of them, in document order. */
public class PipelineValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Every problem found, in document order. */
  private final List<ConfigProblem> problems;

  /**
   * @param file the pipeline file the problems are in, or null when the definition did not come from a file
   * @param problems every problem found, at least one; the message lists them one a line
   */
  public PipelineValidationException(String file, List<ConfigProblem> problems) {
    super(
        (file == null ? "pipeline definition" : file) + " has " + problems.size() + " problem"
            + (problems.size() == 1 ? "" : "s") + ":\n  "
            + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, unmodifiable, in document order. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
