package io.tributary.source.postgres;

/**
 * Where a PostgreSQL source starts reading ({@code startup.mode}).
 *
 * <p>{@link #SNAPSHOT} maps to Flink CDC's snapshot-only startup mode, which makes the source bounded: the job
 * reads every captured table once (still with a replication slot, used to back-fill changes made while each chunk
 * was read) and finishes. It still needs {@code wal_level=logical}, a slot and checkpointing. Caveats of Flink CDC
 * 3.5: before finishing, the job reads the log up to the highest high watermark of the snapshot chunks; if the log
 * moved while the snapshot ran, that phase ends only when a later change arrives (a change to a captured table; on
 * PostgreSQL 14 and older any write transaction), so a database that goes idle right then keeps the job waiting;
 * and the slot is left behind (drop it with {@link PostgresSlots#drop}). Discovery repeats this as a warning.
 */
public enum PostgresStartupMode {
  /** Snapshot every table (rows arrive as {@code op=r}), then stream changes from the log. The default. */
  INITIAL,
  /** No snapshot: stream only changes committed after the replication slot exists. */
  LATEST,
  /** Snapshot every table, then finish: a bounded job with no log changes (see the caveats above). */
  SNAPSHOT
}
