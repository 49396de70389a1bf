package io.tributary.config;

/** What happens to a record that fails a stage: fail the job, skip it (counted and logged), or send it to the DLQ. */
public enum ErrorMode {
  /** Fail the job (Flink restarts it per its restart strategy). YAML {@code fail}. */
  FAIL,
  /** Drop the record, count it and log it (without its values). YAML {@code skip}. */
  SKIP,
  /** Write the record to the dead-letter topic with the stage and reason in its headers. YAML {@code dlq}. */
  DLQ
}
