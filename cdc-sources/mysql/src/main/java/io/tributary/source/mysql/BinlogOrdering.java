package io.tributary.source.mysql;

/**
 * Folds a binlog position into the single non-negative long that Tributary uses as Hudi's ordering field
 * ({@link io.tributary.schema.SourceInfo#ordering()}), so that it grows with the binlog:
 *
 * <pre>
 *   ordering = (file sequence number &lt;&lt; 44) | (position &lt;&lt; 12) | min(row, 4095)
 * </pre>
 *
 * <ul>
 *   <li>file sequence number: the numeric extension of the binlog file name ({@code mariadb-bin.000042} is 42);
 *       19 bits, so at most 524287. The server numbers its files upwards; {@code RESET MASTER} (or a failover to a
 *       server with its own numbering) starts again from 1, and orderings then go backwards: reset the targets
 *       together with the server's binlog.
 *   <li>position: the byte offset of the change's rows event in that file (Debezium's {@code source.pos}, the start
 *       of the event, not of its transaction); 32 bits, as binlog event headers store it.
 *   <li>row: the change's index within its rows event (Debezium's {@code source.row}); 12 bits, values of 4095 and
 *       more share 4095.
 * </ul>
 *
 * <p>Why this orders the changes of one row strictly, even inside one transaction: every statement writes its own
 * rows events (one per table and kind of change), each at a greater position than the events before it, so changes
 * made by different statements, or of different kinds, differ in position; within one event the row index grows
 * with the order of the changes. Only a single statement that changes the same row more than 4095 times in one
 * event (an {@code INSERT ... ON DUPLICATE KEY UPDATE} listing one key that often) could produce equal values.
 * Events of a later file always sort after those of an earlier one.
 *
 * <p>Snapshot rows ({@code op=r}) get 0, or the position of the binlog change Flink CDC merged into them while
 * back-filling their chunk, which lies below the chunk's high watermark and so below every later change of that row
 * (see {@link MySqlChangeEventDeserializer}).
 */
public final class BinlogOrdering {
  /** Bits of the file sequence number. */
  public static final int FILE_BITS = 19;

  /** Bits of the position within the file. */
  public static final int POSITION_BITS = 32;

  /** Bits of the row index within the event. */
  public static final int ROW_BITS = 12;

  /** Largest row index kept apart; greater ones share it. */
  public static final int MAX_ROW = (1 << ROW_BITS) - 1;

  private BinlogOrdering() {}

  /**
   * The ordering value of a change.
   *
   * @param binlogFile the binlog file name, e.g. {@code mysql-bin.000003}; never null
   * @param position the event's byte offset in the file, 0 to 2^32 - 1
   * @param row the row index within the event, at least 0
   * @return {@code (seq << 44) | (position << 12) | min(row, 4095)}, never negative
   * @throws IllegalStateException if the file name has no numeric extension, its sequence number is 2^19 or more,
   *     or the position or row is out of range; the message names the value and the limit
   */
  public static long of(String binlogFile, long position, int row) {
    long seq = fileSequence(binlogFile);
    if (seq >= 1L << FILE_BITS) {
      throw new IllegalStateException(
          "binlog file " + binlogFile + " has sequence number " + seq + ", beyond the " + ((1L << FILE_BITS) - 1)
              + " that Tributary's MySQL ordering value (file << 44 | position << 12 | row) can hold; the Hudi "
              + "ordering field would overflow. Rotate to a new binlog base name or reset the targets with the binlog");
    }
    if (position < 0 || position >= 1L << POSITION_BITS) {
      throw new IllegalStateException(
          "binlog position " + position + " in " + binlogFile + " is outside 0.." + ((1L << POSITION_BITS) - 1)
              + ", which Tributary's MySQL ordering value (file << 44 | position << 12 | row) can hold (MariaDB "
              + "11.4+ needs binlog_legacy_event_pos=ON)");
    }
    if (row < 0) {
      throw new IllegalStateException(
          "binlog row index " + row + " in " + binlogFile + ":" + position + " is negative");
    }
    return (seq << (POSITION_BITS + ROW_BITS)) | (position << ROW_BITS) | Math.min(row, MAX_ROW);
  }

  /**
   * The numeric extension of a binlog file name: the digits after its last dot.
   *
   * @throws IllegalStateException if there are none
   */
  static long fileSequence(String binlogFile) {
    int dot = binlogFile.lastIndexOf('.');
    String digits = binlogFile.substring(dot + 1);
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalStateException(
          "binlog file name '" + binlogFile + "' does not end in a numeric extension (such as mysql-bin.000003); "
              + "Tributary derives the Hudi ordering field from it");
    }
    return Long.parseLong(digits);
  }
}
