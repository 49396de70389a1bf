package io.tributary.schema;

/**
 * A subject's compatibility level in a Confluent-compatible schema registry.
 *
 * <p>Source: Confluent Schema Registry documentation, "Schema Evolution and Compatibility": BACKWARD (consumers
 * on the new schema read data written with the last one), FORWARD (the reverse), FULL (both), the
 * {@code _TRANSITIVE} forms checking against all earlier versions, and NONE.
 */
public enum CompatibilityLevel {
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE,
  NONE
}
