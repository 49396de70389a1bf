package io.tributary.sink.hudi;

import java.util.Objects;

/**
 * A Hudi instant whose files are written and that waits for its Flink checkpoint to complete before it is committed.
 * Kept in Flink state (a Flink POJO: public fields, no-argument constructor) so that a restore can commit it.
 */
public final class PendingCommit {
  /** The checkpoint whose snapshot wrote the files; the instant commits once a checkpoint >= this completes. */
  public long checkpointId;
  /** The Hudi instant time ({@code yyyyMMddHHmmssSSS}). */
  public String instantTime;
  /** The Hudi write statuses of the instant, Java-serialized {@code ArrayList<WriteStatus>} (a few KB). */
  public byte[] writeStatuses;
  /** Rows written by the instant (upserts and deletes after de-duplication). */
  public long records;
  /**
   * The largest ordering value among the rows written (stored in the commit metadata as {@code
   * tributary.max.ordering}); 0 in state written before this field existed.
   */
  public long maxOrdering;

  /** For Flink's POJO serializer. */
  public PendingCommit() {}

  /**
   * @param checkpointId see {@link #checkpointId}
   * @param instantTime see {@link #instantTime}
   * @param writeStatuses see {@link #writeStatuses}
   * @param records see {@link #records}
   */
  public PendingCommit(long checkpointId, String instantTime, byte[] writeStatuses, long records) {
    this.checkpointId = checkpointId;
    this.instantTime = Objects.requireNonNull(instantTime, "instantTime");
    this.writeStatuses = Objects.requireNonNull(writeStatuses, "writeStatuses");
    this.records = records;
  }

  @Override
  public String toString() {
    return "PendingCommit{instant=" + instantTime + ", checkpoint=" + checkpointId + ", records=" + records + "}";
  }
}
