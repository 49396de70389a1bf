package io.tributary.schema.registry;

import java.util.List;

/**
 * The answer of a compatibility test of a schema against a subject's latest version.
 *
 * @param compatible whether the registry accepts the schema under the subject's compatibility level (true when the
 *     subject has no versions yet)
 * @param messages the registry's reasons when incompatible (may be empty; never null)
 */
public record CompatibilityCheck(boolean compatible, List<String> messages) {
  /** @throws NullPointerException if messages is null */
  public CompatibilityCheck {
    messages = List.copyOf(messages);
  }
}
