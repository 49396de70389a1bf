package io.tributary.source.mysql;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect to MySQL or MariaDB.
 *
 * @param hostname server host name or address, never null
 * @param port server TCP port
 * @param username user name, never null
 * @param password password, may be null (no password); never printed by {@link #toString()}
 * @param connectTimeout timeout for opening a connection
 * @param jdbcProperties extra MySQL Connector/J connection properties (the {@code jdbc.properties.} keys without
 *     the prefix), never null; values are never printed
 */
public record MySqlConnectionSettings(
    String hostname,
    int port,
    String username,
    String password,
    Duration connectTimeout,
    Map<String, String> jdbcProperties)
    implements Serializable {
  public MySqlConnectionSettings {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    jdbcProperties = jdbcProperties == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(jdbcProperties));
  }

  /** The JDBC URL {@code jdbc:mysql://host:port/} (IPv6 literals bracketed), without a default database. */
  public String jdbcUrl() {
    String host = hostname.contains(":") && !hostname.startsWith("[") ? "[" + hostname + "]" : hostname;
    return "jdbc:mysql://" + host + ":" + port + "/";
  }

  /** {@code host:port, user U}: for messages; never contains the password. */
  public String describe() {
    return hostname + ":" + port + ", user " + username;
  }

  /**
   * Opens a plain JDBC connection with MySQL Connector/J (the driver Flink CDC's MySQL source uses).
   *
   * @throws SQLException if the server cannot be reached or refuses the login; the message names host, port and
   *     user (never the password) and keeps the driver's reason
   */
  public Connection open() throws SQLException {
    Properties props = new Properties();
    props.putAll(jdbcProperties);
    props.setProperty("user", username);
    if (password != null) {
      props.setProperty("password", password);
    }
    long timeoutMs = Math.max(1, connectTimeout.toMillis());
    props.setProperty("connectTimeout", Long.toString(timeoutMs));
    props.setProperty("socketTimeout", Long.toString(Math.max(timeoutMs, 60_000L)));
    try {
      Connection c = new com.mysql.cj.jdbc.Driver().connect(jdbcUrl(), props);
      if (c == null) {
        throw new SQLException("the driver did not accept the URL " + jdbcUrl());
      }
      return c;
    } catch (SQLException e) {
      throw new SQLException(
          "cannot connect to MySQL at " + describe() + ": " + firstLine(e.getMessage()), e.getSQLState(), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Like {@link #describe()}; neither the password nor JDBC property values are included. */
  @Override
  public String toString() {
    return "MySqlConnectionSettings{" + describe() + ", connectTimeout=" + connectTimeout + ", jdbcProperties="
        + jdbcProperties.keySet() + "}";
  }
}
