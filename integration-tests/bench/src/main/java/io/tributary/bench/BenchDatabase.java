package io.tributary.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The benchmark's tables in PostgreSQL, schema {@code bench}: {@code bench.items} (the snapshot table, N rows) and
 * {@code bench.stream_items} (the streaming table, pre-filled so that updates and deletes have rows to hit). Both have
 * the same 11 columns of mixed types, about 200 bytes a row in PostgreSQL's text form:
 *
 * <pre>
 * id bigint PRIMARY KEY, account_id integer, sku varchar(24), title text (64 chars), note text (~40 chars, null for
 * every 10th row), quantity integer, price numeric(12,2), weight double precision, active boolean,
 * created_at timestamp, changed_us bigint (µs since the epoch when the row was last written by the generator)
 * </pre>
 *
 * Both tables have {@code REPLICA IDENTITY FULL} (full before-images, as Tributary recommends).
 */
public final class BenchDatabase {
  /** The snapshot table. */
  public static final String ITEMS = "bench.items";
  /** The streaming table. */
  public static final String STREAM_ITEMS = "bench.stream_items";

  private final String jdbcUrl;
  private final String user;
  private final String password;

  /**
   * @param jdbcUrl {@code jdbc:postgresql://host:port/db}
   */
  public BenchDatabase(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** Opens a new connection (auto-commit on). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  /**
   * Creates (or re-creates) {@code table} and fills it with {@code rows} rows with ids 1..rows, in one
   * {@code INSERT ... SELECT generate_series} statement, then VACUUM ANALYZE (so Flink CDC's chunk splitting sees
   * real statistics).
   *
   * @throws SQLException on any database error
   */
  public void create(String table, long rows) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS bench");
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table + " ("
          + "id bigint PRIMARY KEY, account_id integer NOT NULL, sku varchar(24) NOT NULL, title text NOT NULL, "
          + "note text, quantity integer NOT NULL, price numeric(12,2) NOT NULL, weight double precision, "
          + "active boolean NOT NULL, created_at timestamp NOT NULL, changed_us bigint NOT NULL)");
      s.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
      s.execute("INSERT INTO " + table + " SELECT g, (g % 10007)::int, 'SKU-' || lpad(g::text, 12, '0'), "
          + "md5(g::text) || md5((g * 7)::text), "
          + "CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || md5((g * 13)::text) END, "
          + "(g % 97)::int, ((g % 100000) / 100.0)::numeric(12,2), (g % 1000) / 7.0, g % 3 <> 0, "
          + "timestamp '2024-01-01' + g * interval '1 second', 0 "
          + "FROM generate_series(1, " + rows + ") g");
      s.execute("VACUUM ANALYZE " + table);
    }
  }

  /**
   * Reads the whole table with {@code COPY table TO STDOUT} (text format) into a counting stream: what the database
   * can hand out, the snapshot's ceiling.
   *
   * @return bytes received (the text form of every row, newlines included)
   * @throws SQLException on any database error
   */
  public long copyOut(String table) throws SQLException, IOException {
    try (Connection c = connect()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      CountingStream out = new CountingStream();
      copy.copyOut("COPY " + table + " TO STDOUT", out);
      return out.count;
    }
  }

  /** Whether {@code table} exists. */
  public boolean exists(String table) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** The number of rows in {@code table}. */
  public long count(String table) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The largest id in {@code table}, 0 when empty. */
  public long maxId(String table) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
