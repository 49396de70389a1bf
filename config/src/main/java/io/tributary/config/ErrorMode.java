package io.tributary.config;

/** What happens to a record that fails a stage: fail the job, skip it (counted and logged), or send it to the DLQ. */
public enum ErrorMode {
  FAIL,
  SKIP,
  DLQ
}
