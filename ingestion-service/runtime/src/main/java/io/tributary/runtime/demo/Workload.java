package io.tributary.runtime.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * A live workload on the shop database: transactions of a few inserts, updates and deletes on orders and
 * customers, at a fixed rate, counting the rows each statement really changed (an update or delete of a row that
 * is gone changes nothing and produces no change event).
 *
 * <p>Two flavours with the same shape and parameters: PostgreSQL ({@link ShopDatabase}, the constructor) and MySQL /
 * MariaDB ({@link ShopMySqlDatabase}, {@link #mySql}). MySQL writes no binlog row event for an update that leaves a
 * row as it was, and by default Connector/J reports the rows an UPDATE <em>matched</em>, not the rows it changed; so
 * the MySQL flavour connects with {@code useAffectedRows=true}, and every update changes its row anyway (it flips a
 * flag and adds to an amount). It also writes one row per transaction to {@code audit_log}, a table the demo
 * pipeline excludes; those rows are not counted.
 */
public final class Workload {
  private static final Statements POSTGRES =
      new Statements(
          "INSERT INTO public.orders (id, customer_id, status, amount, quantity, discount, weight_kg,"
              + " ordered_at, ship_by, note) VALUES (?, ?, 'new', ?, ?, NULL, ?, ?, time '09:30', 'live')",
          "UPDATE public.orders SET status = 'paid', amount = amount + 1.01 WHERE id = ?",
          "DELETE FROM public.orders WHERE id = ?",
          "UPDATE public.customers SET vip = NOT vip, credit = credit + 10.50,"
              + " profile = jsonb_set(profile, '{segment}', to_jsonb(?::int)) WHERE id = ?",
          null,
          false);

  private static final Statements MYSQL =
      new Statements(
          "INSERT INTO orders (id, customer_id, status, amount, quantity, discount, weight_kg, ordered_at, ship_by,"
              + " note, tracking) VALUES (?, ?, 'new', ?, ?, NULL, ?, ?, '09:30:00', 'live', x'6c697665')",
          "UPDATE orders SET status = 'paid', amount = amount + 1.01, discount = (id % 100) / 7e0 WHERE id = ?",
          "DELETE FROM orders WHERE id = ?",
          "UPDATE customers SET vip = NOT vip, credit = credit + 10.50, profile = JSON_SET(profile, '$.segment', ?),"
              + " last_seen = CURRENT_TIMESTAMP(3) WHERE id = ?",
          "INSERT INTO " + ShopMySqlDatabase.AUDIT_LOG + " (at, message) VALUES (NOW(6), 'workload transaction')",
          true);

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Statements sql;
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
    this(jdbcUrl, user, password, firstNewOrderId, customers, POSTGRES);
  }

  private Workload(
      String jdbcUrl, String user, String password, long firstNewOrderId, long customers, Statements sql) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.nextOrderId = firstNewOrderId;
    this.customers = customers;
    this.sql = sql;
  }

  /**
   * The MySQL / MariaDB flavour, on the tables {@link ShopMySqlDatabase} creates in the URL's database.
   *
   * @param jdbcUrl a MySQL Connector/J URL naming the shop database
   * @param password the user's password, may be null
   * @param firstNewOrderId the id the first inserted order gets (above every existing id)
   * @param customers customer ids are 1..customers
   */
  public static Workload mySql(String jdbcUrl, String user, String password, long firstNewOrderId, long customers) {
    return new Workload(jdbcUrl, user, password, firstNewOrderId, customers, MYSQL);
  }

  /**
   * Runs transactions for {@code duration} at about {@code txPerSecond}, each with 5 statements.
   *
   * @throws SQLException if a statement fails
   */
  public void run(Duration duration, int txPerSecond) throws SQLException {
    long end = System.nanoTime() + duration.toNanos();
    long intervalNanos = 1_000_000_000L / Math.max(1, txPerSecond);
    try (Connection c = connect();
        PreparedStatement insert = c.prepareStatement(sql.insertOrder());
        PreparedStatement updateOrder = c.prepareStatement(sql.updateOrder());
        PreparedStatement deleteOrder = c.prepareStatement(sql.deleteOrder());
        PreparedStatement updateCustomer = c.prepareStatement(sql.updateCustomer());
        PreparedStatement audit = sql.audit() == null ? null : c.prepareStatement(sql.audit())) {
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
        if (audit != null) {
          audit.executeUpdate(); // a table the pipeline does not capture: not a change it must emit
        }
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

  private Connection connect() throws SQLException {
    if (!sql.affectedRows()) {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    // Connector/J: UPDATE counts the rows it changed (binlog row events), not the rows it matched
    props.setProperty("useAffectedRows", "true");
    return DriverManager.getConnection(jdbcUrl, props);
  }

  /**
   * One flavour's statements, all with the same parameters: insertOrder (id, customer id, amount, quantity, weight,
   * ordered at), updateOrder (id), deleteOrder (id), updateCustomer (segment, id); audit has none and may be null.
   */
  private record Statements(
      String insertOrder, String updateOrder, String deleteOrder, String updateCustomer, String audit,
      boolean affectedRows) {}
}
