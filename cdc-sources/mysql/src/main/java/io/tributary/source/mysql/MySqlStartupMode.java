package io.tributary.source.mysql;

/**
 * Where a MySQL source starts reading ({@code startup.mode}).
 *
 * <p>{@link #SNAPSHOT} maps to Flink CDC's snapshot-only startup mode, which makes the source bounded: the job reads
 * every captured table once in chunks (each chunk still back-fills the binlog changes made while it was read, so
 * the binlog must be on and readable) and finishes; no binlog phase follows. It still needs checkpointing.
 */
public enum MySqlStartupMode {
  /** Snapshot every table (rows arrive as {@code op=r}), then stream changes from the binlog. The default. */
  INITIAL,
  /** No snapshot: stream only changes written to the binlog after the job starts. */
  LATEST,
  /** Snapshot every table, then finish: a bounded job with no binlog changes. */
  SNAPSHOT
}
