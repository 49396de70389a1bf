package io.tributary.source.postgres;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect to PostgreSQL.
 *
 * @param hostname server host name or address, never null
 * @param port server TCP port
 * @param database database name, never null
 * @param username user name, never null
 * @param password password, may be null (no password); never printed by {@link #toString()}
 * @param connectTimeout timeout for opening a connection
 */
public record PostgresConnectionSettings(
    String hostname, int port, String database, String username, String password, Duration connectTimeout)
    implements Serializable {
  public PostgresConnectionSettings {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** The JDBC URL {@code jdbc:postgresql://host:port/database} (IPv6 literals bracketed, database URL-encoded). */
  public String jdbcUrl() {
    return jdbcUrl(hostname, port, database);
  }

  /** The JDBC URL for a host, port and database, as {@link #jdbcUrl()}. */
  public static String jdbcUrl(String hostname, int port, String database) {
    String host = hostname.contains(":") && !hostname.startsWith("[") ? "[" + hostname + "]" : hostname;
    return "jdbc:postgresql://" + host + ":" + port + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code host:port, database D, user U}: for messages; never contains the password. */
  public String describe() {
    return hostname + ":" + port + ", database " + database + ", user " + username;
  }

  /**
   * Opens a plain JDBC connection with the bundled PostgreSQL driver.
   *
   * @param applicationName shown in {@code pg_stat_activity.application_name}
   * @throws SQLException if the server cannot be reached or refuses the login; the message names host, port,
   *     database and user (never the password) and keeps the driver's reason
   */
  public Connection open(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", username);
    if (password != null) {
      props.setProperty("password", password);
    }
    long timeoutSeconds = Math.max(1, connectTimeout.toSeconds());
    props.setProperty("connectTimeout", Long.toString(timeoutSeconds));
    props.setProperty("ApplicationName", applicationName);
    try {
      return new org.postgresql.Driver().connect(jdbcUrl(), props);
    } catch (SQLException e) {
      throw new SQLException(
          "cannot connect to PostgreSQL at " + describe() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  /** Like {@link #describe()}; the password is never included. */
  @Override
  public String toString() {
    return "PostgresConnectionSettings{" + describe() + ", connectTimeout=" + connectTimeout + "}";
  }
}
