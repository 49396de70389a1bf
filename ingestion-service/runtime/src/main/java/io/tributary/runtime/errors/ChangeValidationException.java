package io.tributary.runtime.errors;

import io.tributary.config.Stage;
import java.util.List;

/**
 * Thrown by the VALIDATE stage under {@code errors.mode: fail} for a change that no sink can write. The message names
 * the pipeline, the table, the stage, the op, the primary key values (no other values) and each failing column with
 * its reason. Flink restarts the job per its restart strategy; the change fails again on replay, so a bounded
 * strategy ends the job with this message.
 */
public final class ChangeValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<Violation> violations;

  /**
   * @param message the full message (see the class comment)
   * @param violations what is wrong, at least one
   */
  public ChangeValidationException(String message, List<Violation> violations) {
    super(message);
    this.violations = List.copyOf(violations);
  }

  /** The stage that failed: always {@link Stage#VALIDATE}. */
  public Stage stage() {
    return Stage.VALIDATE;
  }

  /** What is wrong with the change, at least one violation. */
  public List<Violation> violations() {
    return violations;
  }
}
