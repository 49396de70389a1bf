package io.tributary.runtime.check;

/**
 * Where a pipeline's reader of the source log stands relative to a target position, as seen from the source
 * database (for PostgreSQL: the pipeline's replication slot).
 *
 * @param state whether the pipeline reads the log, is still in its initial snapshot, or nothing reads the log
 * @param caughtUp whether every change to a captured table committed before the target position has been
 *     committed to the sinks (see {@link CheckSource#status}); for a reader that is not {@link State#READING}, only
 *     whether its last confirmed position is at or past the target
 * @param position the position the pipeline has confirmed, in the source's notation (an LSN such as {@code
 *     0/1A2B3C0}), or null when none is confirmed yet
 * @param lagBytes bytes of log between the confirmed position and the target; 0 or less when the confirmed position
 *     is at or past the target; -1 when unknown
 * @param pendingChanges changes to captured tables between the confirmed position and the target, when the source
 *     could count them, else -1
 * @param detail one line for people: what the pipeline has confirmed and what is still missing
 */
public record ReaderStatus(
    State state, boolean caughtUp, String position, long lagBytes, long pendingChanges, String detail) {
  /** Whether the pipeline reads the source's log now. */
  public boolean running() {
    return state == State.READING;
  }

  /** What reads the source's log. */
  public enum State {
    /** The pipeline reads the log (PostgreSQL: its slot is active). */
    READING,
    /**
     * The pipeline is in its initial snapshot and reads the log only afterwards (PostgreSQL: the slot is inactive
     * and the snapshot's back-fill slots {@code <slot>_<n>} exist).
     */
    SNAPSHOT,
    /**
     * Nothing reads the log: the pipeline is stopped, restarting, or between its snapshot and its log phase (which
     * starts after the next checkpoint).
     */
    IDLE
  }
}
