package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a source table (or the rows matching a condition) over JDBC into {@link TableRows}, streaming with a fetch
 * size (no full buffering).
 */
public final class JdbcTableReader {
  private JdbcTableReader() {}

  /**
   * Reads every row of a table.
   *
   * @param jdbcUrl JDBC URL of the source database
   * @param user database user
   * @param password the user's password, may be null
   * @param table the table with its mapped columns and primary key
   * @return the rows keyed by primary key, side {@code source}
   * @throws SQLException if the table cannot be read
   */
  public static TableRows read(String jdbcUrl, String user, String password, TableSchema table) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      return read(c, null, List.of(), new TableRows(table, "source"));
    }
  }

  /**
   * Reads the rows of a table that match a condition into {@code rows}, in one transaction on the given connection
   * (left open; its auto-commit mode is restored).
   *
   * @param connection an open connection to the source database
   * @param where an SQL condition with {@code ?} placeholders for {@code params}, or null for every row
   * @param params values bound with {@link PreparedStatement#setString} in order
   * @param rows where the rows go (its table is the one read; a filtered instance keeps only its keys)
   * @return {@code rows}
   * @throws SQLException if the table cannot be read
   */
  public static TableRows read(Connection connection, String where, List<String> params, TableRows rows)
      throws SQLException {
    TableSchema table = rows.table();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      String sql = "SELECT * FROM " + quote(table.tableId().schema()) + "." + quote(table.tableId().table())
          + (where == null ? "" : " WHERE " + where);
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        st.setFetchSize(5000);
        for (int i = 0; i < params.size(); i++) {
          st.setString(i + 1, params.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> image = new HashMap<>();
            for (Column col : table.columns()) {
              image.put(col.name(), get(rs, col));
            }
            rows.put(image);
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return rows;
  }

  private static Object get(ResultSet rs, Column c) throws SQLException {
    Object v;
    switch (c.kind()) {
      case DATE:
        v = rs.getObject(c.name(), LocalDate.class);
        break;
      case TIME_MICROS:
        v = rs.getObject(c.name(), LocalTime.class);
        break;
      case TIMESTAMP_MICROS:
        v = rs.getObject(c.name(), LocalDateTime.class);
        break;
      case TIMESTAMP_TZ_MICROS:
        v = rs.getObject(c.name(), OffsetDateTime.class);
        break;
      case BYTES:
        v = rs.getBytes(c.name());
        break;
      case JSON:
      case UUID:
        v = rs.getString(c.name());
        break;
      default:
        v = rs.getObject(c.name());
    }
    return rs.wasNull() ? null : v;
  }

  /** A double-quoted SQL identifier (PostgreSQL, ANSI). */
  static String quote(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }
}
