package io.tributary.config;

/**
 * One problem found in a pipeline definition.
 *
 * @param path the key's path in the YAML document, for example {@code sinks[1].table.type}
 * @param line 1-based line in the YAML file where the key (or its parent) stands, or 0 when unknown
 * @param message what is wrong, what is allowed and what was given; never contains a resolved secret
 */
public record ConfigProblem(String path, int line, String message) {
  /** {@code path (line N): message}, the form printed by {@code tributary validate}. */
  @Override
  public String toString() {
    return line > 0 ? path + " (line " + line + "): " + message : path + ": " + message;
  }
}
