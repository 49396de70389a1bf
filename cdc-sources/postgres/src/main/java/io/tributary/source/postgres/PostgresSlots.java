package io.tributary.source.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a pipeline's replication slot and publication: for tests, and for resetting a pipeline so that its next
 * run starts from a fresh snapshot. Dropping the slot discards the pipeline's position in the log (WAL the slot
 * held back is released).
 */
public final class PostgresSlots {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSlots.class);
  private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final long DEFAULT_WAIT_MS = 15_000;

  private PostgresSlots() {}

  /**
   * Drops the replication slot {@code slot}, the slots Flink CDC's snapshot back-fill derives from it
   * ({@code <slot>_<subtask>}, normally dropped by Flink CDC itself), and the publication {@code publication}.
   * Missing objects are skipped. A slot still in use (a job is running or its walsender is shutting down) is
   * waited for up to 15 s.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database}; slots are dropped in that database
   * @param user a superuser or a user with the REPLICATION attribute (and ownership of the publication)
   * @param password the password, may be null
   * @param slot slot name (lower-case letters, digits, {@code _}), or null to drop no slot
   * @param publication publication name (a lower-case identifier), or null to drop no publication
   * @throws SQLException if the server cannot be reached, a slot stays in use for 15 s (message names the slot and
   *     the process id holding it), or a drop fails
   * @throws IllegalArgumentException if a name is not a valid slot or publication name
   */
  public static void drop(String jdbcUrl, String user, String password, String slot, String publication)
      throws SQLException {
    if (slot != null && !SLOT_NAME.matcher(slot).matches()) {
      throw new IllegalArgumentException("'" + slot + "' is not a replication slot name (a-z, 0-9, _)");
    }
    if (publication != null && !IDENTIFIER.matcher(publication).matches()) {
      throw new IllegalArgumentException("'" + publication + "' is not a publication name (a-z, 0-9, _)");
    }
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "tributary-reset");
    try (Connection conn = DriverManager.getConnection(jdbcUrl, props)) {
      if (slot != null) {
        for (String name : slots(conn, slot)) {
          dropSlot(conn, name, DEFAULT_WAIT_MS);
        }
      }
      if (publication != null) {
        try (Statement st = conn.createStatement()) {
          st.execute("DROP PUBLICATION IF EXISTS " + publication);
        }
        LOG.info("Dropped publication {} (if it existed)", publication);
      }
    }
  }

  /** The pipeline slot and its back-fill slots that exist in the connected database. */
  private static List<String> slots(Connection conn, String slot) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() "
                + "AND (slot_name = ? OR slot_name ~ ?) ORDER BY slot_name")) {
      ps.setString(1, slot);
      ps.setString(2, "^" + slot + "_[0-9]+$");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void dropSlot(Connection conn, String name, long waitMs) throws SQLException {
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      Integer activePid = null;
      boolean exists = false;
      try (PreparedStatement ps =
          conn.prepareStatement("SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            if (rs.getBoolean(1)) {
              activePid = rs.getInt(2);
            }
          }
        }
      }
      if (!exists) {
        return;
      }
      if (activePid == null) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          ps.setString(1, name);
          ps.execute();
          LOG.info("Dropped replication slot {}", name);
          return;
        } catch (SQLException e) {
          // 55006 object_in_use: the slot became active between the check and the drop; retry until the deadline
          if (!"55006".equals(e.getSQLState()) || System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
      } else if (System.currentTimeMillis() > deadline) {
        throw new SQLException(
            "replication slot " + name + " is still in use by process " + activePid + " after " + waitMs
                + " ms; stop the pipeline's job first",
            "55006");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for replication slot " + name + " to be released", e);
      }
    }
  }
}
