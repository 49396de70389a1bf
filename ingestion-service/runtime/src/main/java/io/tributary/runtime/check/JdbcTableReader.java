package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.Locale;
import java.util.Map;

/**
 * Reads a source table (or the rows matching a condition) over JDBC into {@link TableRows}, streaming with a fetch
 * size (no full buffering).
 *
 * <p>Two dialects, told apart by the driver's {@link java.sql.DatabaseMetaData#getDatabaseProductName()}:
 *
 * <ul>
 *   <li>PostgreSQL (and any other database): {@code SELECT * FROM "schema"."table"}, values by their JDBC classes.
 *   <li>MySQL and MariaDB (MySQL Connector/J reports {@code MySQL} for both): {@code `database`.`table`} (a MySQL
 *       {@link io.tributary.schema.TableId} has no schema; its database is the MySQL database), streamed row by row
 *       (Connector/J buffers a whole result otherwise), and values read so that they compare exactly with what the
 *       binary log carries: a {@code float} as {@code col + 0e0} (the server prints a float with 6 significant
 *       digits, its double widening exactly); a {@code timestamp} as {@code UNIX_TIMESTAMP(col)}, the instant
 *       whatever the session's time zone; {@code date}, {@code datetime} and {@code time} from their text, not
 *       through the JVM's time zone ({@code time}: signed microseconds, so a duration outside a day compares
 *       unequal instead of failing the read; a zero date reads as null, as Debezium delivers it in a nullable
 *       column); integers with {@code getLong} (a {@code year} is a number, not a date); {@code bit(n)} bytes
 *       least significant first, as Debezium's {@code Bits}.
 * </ul>
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
    boolean mySql = isMySql(connection);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      String sql = (mySql ? mySqlSelect(table)
          : "SELECT * FROM " + quote(table.tableId().schema()) + "." + quote(table.tableId().table()))
          + (where == null ? "" : " WHERE " + where);
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        // Connector/J streams a result row by row only with this fetch size; any other buffers all of it
        st.setFetchSize(mySql ? Integer.MIN_VALUE : 5000);
        for (int i = 0; i < params.size(); i++) {
          st.setString(i + 1, params.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> image = new HashMap<>();
            for (Column col : table.columns()) {
              image.put(col.name(), mySql ? getMySql(rs, col) : get(rs, col));
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

  /** A backquoted MySQL identifier. */
  static String quoteMySql(String ident) {
    return "`" + ident.replace("`", "``") + "`";
  }

  /** Whether the connection is to MySQL or MariaDB (Connector/J says {@code MySQL} for both). */
  static boolean isMySql(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return product.contains("mysql") || product.contains("mariadb");
  }

  /**
   * {@code SELECT <columns> FROM `database`.`table`} with the conversions the class comment lists, each column under
   * its own name.
   */
  static String mySqlSelect(TableSchema table) {
    StringBuilder sql = new StringBuilder("SELECT ");
    List<Column> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      String q = quoteMySql(c.name());
      sql.append(i == 0 ? "" : ", ");
      switch (c.kind()) {
        case FLOAT32:
          sql.append('(').append(q).append(" + 0e0) AS ").append(q);
          break;
        case TIMESTAMP_TZ_MICROS:
          sql.append("UNIX_TIMESTAMP(").append(q).append(") AS ").append(q);
          break;
        default:
          sql.append(q);
      }
    }
    TableId id = table.tableId();
    return sql.append(" FROM ").append(quoteMySql(id.schema() == null ? id.database() : id.schema())).append('.')
        .append(quoteMySql(id.table())).toString();
  }

  private static Object getMySql(ResultSet rs, Column c) throws SQLException {
    String name = c.name();
    Object v;
    switch (c.kind()) {
      case INT32:
      case INT64:
        v = rs.getLong(name);
        break;
      case DECIMAL:
        v = rs.getBigDecimal(name);
        break;
      case FLOAT32:
      case FLOAT64:
        v = rs.getDouble(name);
        break;
      case DATE: {
        String s = rs.getString(name);
        v = s == null || isZeroDate(s) ? null : LocalDate.parse(s);
        break;
      }
      case TIMESTAMP_MICROS: {
        String s = rs.getString(name);
        v = s == null || isZeroDate(s) ? null : LocalDateTime.parse(s.replace(' ', 'T'));
        break;
      }
      case TIME_MICROS: {
        String s = rs.getString(name);
        v = s == null ? null : timeMicros(s);
        break;
      }
      case TIMESTAMP_TZ_MICROS: {
        BigDecimal seconds = rs.getBigDecimal(name);
        v = seconds == null ? null : seconds.movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact();
        break;
      }
      case BYTES: {
        byte[] b = rs.getBytes(name);
        if (b != null && c.sourceType() != null && c.sourceType().toLowerCase(Locale.ROOT).startsWith("bit")) {
          reverse(b);
        }
        v = b;
        break;
      }
      case STRING:
      case JSON:
      case UUID:
        v = rs.getString(name);
        break;
      default:
        v = rs.getObject(name);
    }
    return rs.wasNull() ? null : v;
  }

  /** MySQL's zero date ({@code 0000-00-00}) or a date with a zero month or day. */
  static boolean isZeroDate(String s) {
    return s.length() >= 10 && (s.startsWith("0000-00-00") || s.startsWith("00", 5) || s.startsWith("00", 8));
  }

  /**
   * Signed microseconds of a MySQL {@code time} text, {@code [-]H..H:MM:SS[.ffffff]}: a time of day is its
   * microseconds since midnight, a duration beyond it keeps its value (negative, or a day or more).
   *
   * @throws IllegalArgumentException if the text is not in that form
   */
  static long timeMicros(String text) {
    boolean negative = text.startsWith("-");
    String t = negative ? text.substring(1) : text;
    String[] hms = t.split(":");
    if (hms.length != 3) {
      throw new IllegalArgumentException("not a MySQL time: " + text);
    }
    BigDecimal seconds = new BigDecimal(hms[2]);
    long micros = (Long.parseLong(hms[0]) * 3600 + Long.parseLong(hms[1]) * 60) * 1_000_000L
        + seconds.movePointRight(6).longValueExact();
    return negative ? -micros : micros;
  }

  private static void reverse(byte[] b) {
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte x = b[i];
      b[i] = b[j];
      b[j] = x;
    }
  }
}
