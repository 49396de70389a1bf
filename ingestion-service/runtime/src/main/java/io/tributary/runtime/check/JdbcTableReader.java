package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/** Reads a whole source table over JDBC into {@link TableRows}, streaming with a fetch size (no full buffering). */
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
    TableRows rows = new TableRows(table, "source");
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.setFetchSize(5000);
        String name = quote(table.tableId().schema()) + "." + quote(table.tableId().table());
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + name)) {
          while (rs.next()) {
            Map<String, Object> image = new HashMap<>();
            for (Column col : table.columns()) {
              image.put(col.name(), get(rs, col));
            }
            rows.put(image);
          }
        }
      }
      c.commit();
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

  private static String quote(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }
}
