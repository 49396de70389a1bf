package io.tributary.source.mysql;

import io.tributary.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * The options of a {@code type: mysql} source block (MySQL and MariaDB; verified against MariaDB 10.11, MySQL 8 is
 * untested).
 *
 * <p>Besides these keys, any key under {@link #DEBEZIUM_PREFIX} is passed to Debezium without the prefix, except
 * the settings Tributary fixes because its value conversion depends on them ({@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code binary.handling.mode=bytes},
 * {@code bigint.unsigned.handling.mode=precise}, {@code include.schema.changes=true},
 * {@code tombstones.on.delete=false}) and the keys that decide what is read ({@code database.*}, include and exclude
 * lists, {@code snapshot.mode}, {@code converters}); keys under {@link #JDBC_PREFIX} become JDBC connection
 * properties of MySQL Connector/J, for discovery and for Flink CDC's connections.
 */
public final class MySqlSourceOptions {
  /** Prefix of raw Debezium connector properties, for example {@code debezium.max.batch.size}. */
  public static final String DEBEZIUM_PREFIX = "debezium.";

  /** Prefix of MySQL Connector/J connection properties, for example {@code jdbc.properties.useSSL}. */
  public static final String JDBC_PREFIX = "jdbc.properties.";

  /** Server host name or address. Required. */
  public static final ConfigOption<String> HOSTNAME =
      ConfigOption.string("hostname", null, "Host name or IP address of the MySQL or MariaDB server.");

  /** Server port; default 3306. */
  public static final ConfigOption<Integer> PORT =
      ConfigOption.integer("port", 3306, "TCP port of the MySQL or MariaDB server.");

  /** User to connect as. Required. */
  public static final ConfigOption<String> USERNAME =
      ConfigOption.string(
          "username",
          null,
          "User; needs SELECT on the captured tables, REPLICATION SLAVE and REPLICATION CLIENT (MariaDB 10.5+: "
              + "BINLOG MONITOR).");

  /** Password; default none. Write it as a secret reference. */
  public static final ConfigOption<String> PASSWORD =
      ConfigOption.string(
          "password", null, "Password of the user; use a reference such as ${env:MYSQL_PASSWORD}, never a literal.");

  /** Tables to capture: exact {@code db.table} names or regular expressions over {@code db.table}. Required. */
  public static final ConfigOption<List<String>> TABLES =
      ConfigOption.list(
          "tables",
          null,
          "Tables to capture: exact db.table names (shop.orders) or Java regular expressions matched against the "
              + "whole db.table name (shop\\.order_items_.*; a whole database: shop\\..*). The system databases "
              + "mysql, information_schema, performance_schema and sys are never matched.");

  /** Tables to leave out of what {@link #TABLES} matched: regular expressions over {@code db.table}. */
  public static final ConfigOption<List<String>> TABLES_EXCLUDE =
      ConfigOption.list(
          "tables.exclude",
          List.of(),
          "Java regular expressions matched against the whole db.table name; a table that tables matched and one "
              + "of these matches is not captured (for example shop\\.tmp_.*).");

  /**
   * Binlog client server ids, {@code N} or {@code N-M}; default a range derived from the pipeline name (see
   * {@link MySqlServerIds#derive}).
   */
  public static final ConfigOption<String> SERVER_ID =
      ConfigOption.string(
          "server-id",
          null,
          "Server ids of the binlog clients, one per parallel reader: a number (5400) or a range (5400-5408) with at "
              + "least as many ids as the pipeline's parallelism, each unique among the server's replicas and "
              + "other CDC clients. Default: parallelism ids starting at 5400 + (CRC-32 of the pipeline name mod "
              + "1,000,000,000).");

  /** Where to start; default {@link MySqlStartupMode#INITIAL}. */
  public static final ConfigOption<MySqlStartupMode> STARTUP_MODE =
      ConfigOption.enumOption(
          "startup.mode",
          MySqlStartupMode.class,
          MySqlStartupMode.INITIAL,
          "initial: snapshot, then stream changes from the binlog; latest: stream changes only; snapshot: "
              + "snapshot only, then the job finishes.");

  /** Rows per snapshot chunk; default 8096. */
  public static final ConfigOption<Integer> SNAPSHOT_CHUNK_SIZE =
      ConfigOption.integer(
          "scan.snapshot.chunk.size",
          8096,
          "Rows per snapshot chunk (the unit of parallel, checkpointed snapshot reads).");

  /** JDBC fetch size of snapshot reads; default 1024 rows. */
  public static final ConfigOption<Integer> SNAPSHOT_FETCH_SIZE =
      ConfigOption.integer(
          "scan.snapshot.fetch.size", 1024, "Rows fetched per round trip while reading a snapshot chunk.");

  /** Connect timeout for JDBC and binlog connections; default 30 s. */
  public static final ConfigOption<Duration> CONNECT_TIMEOUT =
      ConfigOption.duration(
          "connect.timeout", Duration.ofSeconds(30), "Timeout for opening a connection to the server (e.g. 30s).");

  /**
   * The server's session time zone; default {@code UTC}. Only {@code TIMESTAMP} columns depend on it: a
   * {@code DATETIME} has no zone and is passed through as the local date-time it holds.
   */
  public static final ConfigOption<String> SERVER_TIME_ZONE =
      ConfigOption.string(
          "server-time-zone",
          "UTC",
          "Time zone of the server (its time_zone, e.g. UTC or Europe/Berlin): used to read TIMESTAMP columns in "
              + "snapshots; must match the server's current offset. DATETIME columns have no zone and are not "
              + "affected.");

  /** Heartbeat interval; default 30 s. */
  public static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
      ConfigOption.duration(
          "heartbeat.interval",
          Duration.ofSeconds(30),
          "Interval of heartbeat events, which let the binlog offset in checkpoints advance while captured tables "
              + "are quiet (e.g. 30s).");

  /** Debezium's poll interval; default 20 ms (Debezium's own 500 ms dominates latency, STACK.md item 6). */
  public static final ConfigOption<Long> POLL_INTERVAL_MS =
      ConfigOption.longOption(
          "poll.interval.ms", 20L, "Milliseconds Debezium waits for new change events before polling again.");

  private MySqlSourceOptions() {}
}
