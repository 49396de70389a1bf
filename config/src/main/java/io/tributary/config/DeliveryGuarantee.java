package io.tributary.config;

/** What a sink promises after restarts: each change written exactly once, or at least once (duplicates possible). */
public enum DeliveryGuarantee {
  /** Each change is written exactly once: transactional Kafka writes, Hudi commits on checkpoints. YAML {@code exactly-once}. */
  EXACTLY_ONCE,
  /** Each change is written at least once; after a restart some may be written again. YAML {@code at-least-once}. */
  AT_LEAST_ONCE
}
