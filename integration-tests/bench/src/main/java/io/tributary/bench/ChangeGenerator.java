package io.tributary.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Applies a mix of inserts (20%), updates (70%) and deletes (10%) to a bench table at a fixed rate or flat out, over
 * one JDBC connection, in transactions of several changes (one JDBC batch per statement kind, then COMMIT). Each
 * inserted or updated row gets {@code changed_us} = the wall clock (µs since the epoch) just before its transaction
 * is sent, which the latency probes subtract from the time the change is readable. One connection keeps the commit
 * order equal to the LSN order, which the Hudi latency measurement relies on.
 *
 * <p>Rows it deletes and updates exist (it tracks the live ids), so every statement changes exactly one row and the
 * number of changes applied equals the number of change events the source must emit.
 */
public final class ChangeGenerator implements AutoCloseable {
  private final Connection conn;
  private final String table;
  private final List<Long> live = new ArrayList<>();
  private final Random random = new Random(7);
  private long nextId;
  private long inserts;
  private long updates;
  private long deletes;

  /**
   * @param liveIds ids 1..liveIds exist in the table when the generator starts
   * @throws SQLException if the connection fails
   */
  public ChangeGenerator(BenchDatabase db, String table, long liveIds) throws SQLException {
    this.conn = db.connect();
    this.conn.setAutoCommit(false);
    this.table = table;
    for (long id = 1; id <= liveIds; id++) {
      live.add(id);
    }
    this.nextId = db.maxId(table) + 1;
  }

  /** Changes applied so far (inserts + updates + deletes). */
  public long changes() {
    return inserts + updates + deletes;
  }

  /** Inserts applied so far. */
  public long inserts() {
    return inserts;
  }

  /** Updates applied so far. */
  public long updates() {
    return updates;
  }

  /** Deletes applied so far. */
  public long deletes() {
    return deletes;
  }

  /**
   * Applies changes for {@code duration} at {@code ratePerSecond} (paced after every transaction), or as fast as the
   * connection allows when the rate is 0.
   *
   * @param txSize changes per transaction
   * @return the number of changes applied
   * @throws SQLException if a statement fails
   */
  public long run(Duration duration, int ratePerSecond, int txSize) throws SQLException {
    long before = changes();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long done = 0;
    try (PreparedStatement ins = conn.prepareStatement("INSERT INTO " + table + " (id, account_id, sku, title, note, "
            + "quantity, price, weight, active, created_at, changed_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)");
        PreparedStatement upd = conn.prepareStatement("UPDATE " + table
            + " SET quantity = quantity + 1, price = price + 0.01, note = ?, changed_us = ? WHERE id = ?");
        PreparedStatement del = conn.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
      while (System.nanoTime() < end) {
        long now = micros();
        int nIns = 0;
        int nUpd = 0;
        int nDel = 0;
        for (int i = 0; i < txSize; i++) {
          int dice = random.nextInt(10);
          if ((dice < 2 || live.size() < 1000)) {
            long id = nextId++;
            ins.setLong(1, id);
            ins.setInt(2, (int) (id % 10007));
            ins.setString(3, "SKU-" + id);
            ins.setString(4, Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()) + "-title-of-an-item-of-the-bench");
            ins.setString(5, "note " + Long.toHexString(random.nextLong()));
            ins.setInt(6, random.nextInt(100));
            ins.setBigDecimal(7, java.math.BigDecimal.valueOf(random.nextInt(100000), 2));
            ins.setDouble(8, random.nextDouble() * 100);
            ins.setBoolean(9, random.nextBoolean());
            ins.setLong(10, now);
            ins.addBatch();
            live.add(id);
            nIns++;
          } else if (dice < 9) {
            upd.setString(1, "updated " + Long.toHexString(random.nextLong()));
            upd.setLong(2, now);
            upd.setLong(3, live.get(random.nextInt(live.size())));
            upd.addBatch();
            nUpd++;
          } else {
            int at = random.nextInt(live.size());
            long id = live.get(at);
            live.set(at, live.get(live.size() - 1));
            live.remove(live.size() - 1);
            del.setLong(1, id);
            del.addBatch();
            nDel++;
          }
        }
        // inserts, then updates, then deletes: an update or delete may target a row inserted earlier in the same
        // transaction, and an id is deleted at most once and never updated after its delete was chosen
        if (nIns > 0) {
          expectOneRowEach(ins.executeBatch());
        }
        if (nUpd > 0) {
          expectOneRowEach(upd.executeBatch());
        }
        if (nDel > 0) {
          expectOneRowEach(del.executeBatch());
        }
        conn.commit();
        inserts += nIns;
        updates += nUpd;
        deletes += nDel;
        done += txSize;
        if (ratePerSecond > 0) {
          long due = start + (long) (done * 1e9 / ratePerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            sleepNanos(wait);
          }
        }
      }
    }
    return changes() - before;
  }

  /** Every statement must change exactly one row, or changes applied would not equal change events. */
  private static void expectOneRowEach(int[] counts) {
    for (int c : counts) {
      if (c != 1 && c != java.sql.Statement.SUCCESS_NO_INFO) {
        throw new IllegalStateException("a generated statement changed " + c + " rows instead of 1");
      }
    }
  }

  /** The wall clock in µs since the epoch. */
  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
