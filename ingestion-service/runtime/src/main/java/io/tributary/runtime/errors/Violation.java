package io.tributary.runtime.errors;

import java.io.Serializable;
import java.util.Objects;

/**
 * One reason a change cannot be written, found by {@link ChangeChecker}.
 *
 * @param image {@code "after"} or {@code "before"}: the row image holding the bad value; null for a problem of the
 *     change as a whole (an unknown table)
 * @param column the column name; null for a problem of the change as a whole
 * @param reason what is wrong, without the offending value (it may be personal data); for a value the source could
 *     not convert, the source's reason ({@link io.tributary.schema.InvalidValue#reason()}); never null
 */
public record Violation(String image, String column, String reason) implements Serializable {
  public Violation {
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code column amount (after): <reason>}, or just the reason for a problem of the whole change. */
  @Override
  public String toString() {
    return column == null ? reason : "column " + column + " (" + image + "): " + reason;
  }
}
