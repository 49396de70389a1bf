package io.tributary.source.mysql;

import static io.tributary.source.mysql.MySqlSourceOptions.CONNECT_TIMEOUT;
import static io.tributary.source.mysql.MySqlSourceOptions.DEBEZIUM_PREFIX;
import static io.tributary.source.mysql.MySqlSourceOptions.HEARTBEAT_INTERVAL;
import static io.tributary.source.mysql.MySqlSourceOptions.HOSTNAME;
import static io.tributary.source.mysql.MySqlSourceOptions.JDBC_PREFIX;
import static io.tributary.source.mysql.MySqlSourceOptions.PASSWORD;
import static io.tributary.source.mysql.MySqlSourceOptions.POLL_INTERVAL_MS;
import static io.tributary.source.mysql.MySqlSourceOptions.PORT;
import static io.tributary.source.mysql.MySqlSourceOptions.SERVER_ID;
import static io.tributary.source.mysql.MySqlSourceOptions.SERVER_TIME_ZONE;
import static io.tributary.source.mysql.MySqlSourceOptions.SNAPSHOT_CHUNK_SIZE;
import static io.tributary.source.mysql.MySqlSourceOptions.SNAPSHOT_FETCH_SIZE;
import static io.tributary.source.mysql.MySqlSourceOptions.STARTUP_MODE;
import static io.tributary.source.mysql.MySqlSourceOptions.TABLES;
import static io.tributary.source.mysql.MySqlSourceOptions.TABLES_EXCLUDE;
import static io.tributary.source.mysql.MySqlSourceOptions.USERNAME;

import io.tributary.config.ConfigOption;
import io.tributary.config.Options;
import io.tributary.config.PipelineSettings;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceContext;
import io.tributary.config.spi.SourceFactory;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mysql} source type: MySQL and MariaDB change data capture from the binary log (verified against MariaDB
 * 10.11; MySQL 8 is untested). Options: {@link MySqlSourceOptions}; keys under {@code debezium.} pass through to
 * Debezium, keys under {@code jdbc.properties.} to MySQL Connector/J.
 */
public final class MySqlSourceFactory implements SourceFactory {
  /** The YAML {@code type} of this source. */
  public static final String IDENTIFIER = "mysql";

  /**
   * Debezium properties a {@code debezium.} key may not set (nor any {@code database.*}, nor the keys of Tributary's
   * zero-date converter): they decide which server, tables and columns are read and how values are converted, and
   * Tributary derives them from its own options.
   */
  public static final Set<String> MANAGED_DEBEZIUM_KEYS =
      Set.of(
          "table.include.list", "table.exclude.list", "table.whitelist", "table.blacklist",
          "column.include.list", "column.exclude.list", "column.whitelist", "column.blacklist",
          "snapshot.mode", "topic.prefix", "converters", "message.key.columns");

  /** Connector/J properties a {@code jdbc.properties.} key may not set: the login comes from the source options. */
  public static final Set<String> MANAGED_JDBC_KEYS = Set.of("user", "password");

  @Override
  public String identifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(HOSTNAME, USERNAME, TABLES);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        PORT,
        PASSWORD,
        TABLES_EXCLUDE,
        SERVER_ID,
        STARTUP_MODE,
        SNAPSHOT_CHUNK_SIZE,
        SNAPSHOT_FETCH_SIZE,
        CONNECT_TIMEOUT,
        SERVER_TIME_ZONE,
        HEARTBEAT_INTERVAL,
        POLL_INTERVAL_MS);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of(DEBEZIUM_PREFIX, JDBC_PREFIX);
  }

  /**
   * Creates the source; connects nowhere. The pipeline's parallelism is the source's; without {@code server-id} the
   * server ids are derived from the pipeline name ({@link MySqlServerIds#derive}).
   *
   * @throws IllegalArgumentException if a value is out of range (port, sizes, intervals), {@code tables} is empty,
   *     {@code server-id} has fewer ids than the pipeline's parallelism, {@code server-time-zone} is not a time zone,
   *     or a {@code debezium.}/{@code jdbc.properties.} key sets something Tributary manages; the message reads
   *     {@code Invalid value X for configuration Y: reason}
   * @throws io.tributary.config.PipelineValidationException if a value does not parse
   */
  @Override
  public PipelineSource createSource(SourceContext context) {
    Options options = context.options();
    PipelineSettings pipeline = context.pipeline().pipeline();
    int parallelism = Math.max(1, pipeline.parallelism());

    int port = options.get(PORT);
    check(options, PORT, port >= 1 && port <= 65535, "use a TCP port between 1 and 65535");
    List<String> tables = options.get(TABLES);
    check(options, TABLES, tables != null && !tables.isEmpty(), "list at least one table");
    List<String> excludes = options.get(TABLES_EXCLUDE);
    MySqlServerIds serverIds;
    if (options.contains(SERVER_ID)) {
      try {
        serverIds = MySqlServerIds.parse(options.get(SERVER_ID));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(Options.invalid(SERVER_ID, options.getString(SERVER_ID.key()), e));
      }
      check(
          options,
          SERVER_ID,
          serverIds.size() >= parallelism,
          "the range has " + serverIds.size() + (serverIds.size() == 1 ? " id" : " ids") + " but the pipeline runs "
              + parallelism + " parallel readers, each needing its own; give at least " + parallelism + " ids, e.g. "
              + serverIds.first() + "-" + (serverIds.first() + parallelism - 1));
    } else {
      serverIds = MySqlServerIds.derive(pipeline.name(), parallelism);
    }
    int chunkSize = options.get(SNAPSHOT_CHUNK_SIZE);
    check(options, SNAPSHOT_CHUNK_SIZE, chunkSize > 0, "must be at least 1 row");
    int fetchSize = options.get(SNAPSHOT_FETCH_SIZE);
    check(options, SNAPSHOT_FETCH_SIZE, fetchSize > 0, "must be at least 1 row");
    long poll = options.get(POLL_INTERVAL_MS);
    check(options, POLL_INTERVAL_MS, poll > 0, "must be at least 1 ms");
    Duration heartbeat = options.get(HEARTBEAT_INTERVAL);
    check(options, HEARTBEAT_INTERVAL, heartbeat.toMillis() > 0, "must be at least 1ms");
    Duration connectTimeout = options.get(CONNECT_TIMEOUT);
    check(options, CONNECT_TIMEOUT, connectTimeout.toMillis() > 0, "must be positive");
    String zone = options.get(SERVER_TIME_ZONE);
    check(options, SERVER_TIME_ZONE, isZone(zone), "use a time zone id such as UTC, +02:00 or Europe/Berlin");

    Map<String, String> debezium = new LinkedHashMap<>();
    Map<String, String> jdbc = new LinkedHashMap<>();
    options.asMap().forEach(
        (k, v) -> {
          if (k.startsWith(DEBEZIUM_PREFIX) && k.length() > DEBEZIUM_PREFIX.length()) {
            String key = k.substring(DEBEZIUM_PREFIX.length());
            // Flink CDC applies debezium.* after its own settings: these would silently change what is read
            if (MANAGED_DEBEZIUM_KEYS.contains(key) || key.startsWith("database.")
                || key.startsWith(MySqlSource.ZERO_DATE_CONVERTER + ".")) {
              throw new IllegalArgumentException(
                  options.path() + "." + k + ": Tributary sets '" + key + "' itself (from the source options: "
                      + "hostname, port, username, password, tables, tables.exclude, server-id, "
                      + "server-time-zone; and its value conversion); remove it");
            }
            debezium.put(key, v);
          } else if (k.startsWith(JDBC_PREFIX) && k.length() > JDBC_PREFIX.length()) {
            String key = k.substring(JDBC_PREFIX.length());
            if (MANAGED_JDBC_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
              throw new IllegalArgumentException(
                  options.path() + "." + k + ": Tributary sets '" + key + "' itself (from username and password); "
                      + "remove it");
            }
            jdbc.put(key, v);
          }
        });

    MySqlConnectionSettings connection =
        new MySqlConnectionSettings(
            options.get(HOSTNAME), port, options.get(USERNAME), options.get(PASSWORD), connectTimeout, jdbc);
    return new MySqlSource(
        pipeline.name(),
        parallelism,
        connection,
        tables,
        excludes == null ? List.of() : excludes,
        serverIds,
        options.get(STARTUP_MODE),
        chunkSize,
        fetchSize,
        zone,
        heartbeat,
        poll,
        debezium,
        options.path(),
        options::line)
        .schemaChangeBehavior(pipeline.schemaChangeBehavior());
  }

  private static boolean isZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException | NullPointerException e) {
      return false;
    }
  }

  private static void check(Options options, ConfigOption<?> option, boolean ok, String reason) {
    if (!ok) {
      String shown = String.valueOf(options.getString(option.key()));
      throw new IllegalArgumentException(Options.invalid(option, shown, new IllegalArgumentException(reason)));
    }
  }
}
