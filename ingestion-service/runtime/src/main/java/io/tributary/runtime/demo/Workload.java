package io.tributary.runtime.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.SplittableRandom;

/**
 * A live workload on the shop database: transactions of a few inserts, updates and deletes on orders and
 * customers, at a fixed rate, counting the rows each statement really changed (an update or delete of a row that
 * is gone changes nothing and produces no change event).
 */
public final class Workload {
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final SplittableRandom random = new SplittableRandom(42);
  private long nextOrderId;
  private final long customers;
  private long inserts;
  private long updates;
  private long deletes;

  /**
   * @param firstNewOrderId the id the first inserted order gets (above every existing id)
   * @param customers customer ids are 1..customers
   */
  public Workload(String jdbcUrl, String user, String password, long firstNewOrderId, long customers) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.nextOrderId = firstNewOrderId;
    this.customers = customers;
  }

  /**
   * Runs transactions for {@code duration} at about {@code txPerSecond}, each with 5 statements.
   *
   * @throws SQLException if a statement fails
   */
  public void run(Duration duration, int txPerSecond) throws SQLException {
    long end = System.nanoTime() + duration.toNanos();
    long intervalNanos = 1_000_000_000L / Math.max(1, txPerSecond);
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO public.orders (id, customer_id, status, amount, quantity, discount, weight_kg,"
                    + " ordered_at, ship_by, note) VALUES (?, ?, 'new', ?, ?, NULL, ?, ?, time '09:30', 'live')");
        PreparedStatement updateOrder =
            c.prepareStatement("UPDATE public.orders SET status = 'paid', amount = amount + 1.01 WHERE id = ?");
        PreparedStatement deleteOrder = c.prepareStatement("DELETE FROM public.orders WHERE id = ?");
        PreparedStatement updateCustomer =
            c.prepareStatement(
                "UPDATE public.customers SET vip = NOT vip, credit = credit + 10.50,"
                    + " profile = jsonb_set(profile, '{segment}', to_jsonb(?::int)) WHERE id = ?")) {
      c.setAutoCommit(false);
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 2; i++) {
          long id = nextOrderId++;
          insert.setLong(1, id);
          insert.setLong(2, 1 + random.nextLong(customers));
          insert.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(1, 100_000), 2));
          insert.setInt(4, random.nextInt(1, 10));
          insert.setDouble(5, random.nextInt(1, 500) / 10.0);
          insert.setTimestamp(6, Timestamp.valueOf(LocalDateTime.of(2024, 11, 1, 8, 0).plusSeconds(id)));
          inserts += insert.executeUpdate();
        }
        updateOrder.setLong(1, 1 + random.nextLong(nextOrderId - 1));
        updates += updateOrder.executeUpdate();
        updateCustomer.setInt(1, random.nextInt(100));
        updateCustomer.setLong(2, 1 + random.nextLong(customers));
        updates += updateCustomer.executeUpdate();
        deleteOrder.setLong(1, 1 + random.nextLong(nextOrderId - 1));
        deletes += deleteOrder.executeUpdate();
        c.commit();
        next += intervalNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          try {
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /** Rows inserted so far. */
  public long inserts() {
    return inserts;
  }

  /** Rows updated so far (statements that matched no row count 0). */
  public long updates() {
    return updates;
  }

  /** Rows deleted so far (statements that matched no row count 0). */
  public long deletes() {
    return deletes;
  }

  /** Rows changed in total: the number of change events the source must emit. */
  public long changes() {
    return inserts + updates + deletes;
  }
}
