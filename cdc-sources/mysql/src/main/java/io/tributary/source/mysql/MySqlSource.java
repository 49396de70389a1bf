package io.tributary.source.mysql;

import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySQL or MariaDB source: discovers tables over JDBC (MySQL Connector/J, {@code information_schema}) on the
 * client, and reads them in the job with Flink CDC 3.5's MySQL incremental snapshot source (parallel, lock-free,
 * checkpointed chunks, then the binlog). Created by {@link MySqlSourceFactory}; see {@link MySqlSourceOptions}.
 * Verified against MariaDB 10.11; MySQL 8 is untested.
 */
public final class MySqlSource implements PipelineSource {
  /** Stable uid of the source operator (checkpoints and savepoints refer to it). */
  public static final String OPERATOR_UID = "tributary-source-mysql";

  /** Name of the source operator in the Flink job. */
  public static final String OPERATOR_NAME = "mysql-source";

  /** Name under which {@link MySqlZeroDateConverter} is registered in Debezium's {@code converters}. */
  static final String ZERO_DATE_CONVERTER = "tributary_zero_dates";

  private static final Logger LOG = LoggerFactory.getLogger(MySqlSource.class);

  private final String pipelineName;
  private final int parallelism;
  private final MySqlConnectionSettings connection;
  private final List<String> tablePatterns;
  private final List<String> excludePatterns;
  private final MySqlServerIds serverIds;
  private final MySqlStartupMode startupMode;
  private final int chunkSize;
  private final int fetchSize;
  private final String serverTimeZone;
  private final Duration heartbeatInterval;
  private final long pollIntervalMs;
  private final Map<String, String> debeziumProperties;
  private final String optionsPath;
  private final ToIntFunction<String> lines;
  private SchemaChangeBehavior schemaChangeBehavior = SchemaChangeBehavior.EVOLVE;

  /**
   * Builds a source from already validated values; {@link MySqlSourceFactory} is the usual way in.
   *
   * @param pipelineName pipeline name, for {@link io.tributary.schema.SourceInfo#name()}
   * @param parallelism source parallelism, >= 1 and at most {@code serverIds.size()}
   * @param connection where to connect
   * @param tablePatterns the {@code tables} entries (exact names or regular expressions), not empty
   * @param excludePatterns the {@code tables.exclude} entries (regular expressions), may be empty
   * @param serverIds binlog client server ids, one per parallel reader
   * @param startupMode where to start reading
   * @param chunkSize rows per snapshot chunk, > 0
   * @param fetchSize rows per snapshot fetch, > 0
   * @param serverTimeZone the server's time zone id, e.g. {@code UTC}
   * @param heartbeatInterval heartbeat interval, > 0
   * @param pollIntervalMs Debezium poll interval, ms, > 0
   * @param debeziumProperties raw Debezium properties (already without the {@code debezium.} prefix)
   * @param optionsPath the block's path for problems, e.g. {@code source}
   * @param lines YAML line of an option key (0 when unknown), for problems
   * @throws IllegalArgumentException if there are fewer server ids than parallel readers
   */
  public MySqlSource(
      String pipelineName,
      int parallelism,
      MySqlConnectionSettings connection,
      List<String> tablePatterns,
      List<String> excludePatterns,
      MySqlServerIds serverIds,
      MySqlStartupMode startupMode,
      int chunkSize,
      int fetchSize,
      String serverTimeZone,
      Duration heartbeatInterval,
      long pollIntervalMs,
      Map<String, String> debeziumProperties,
      String optionsPath,
      ToIntFunction<String> lines) {
    this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
    this.parallelism = parallelism;
    this.connection = Objects.requireNonNull(connection, "connection");
    this.tablePatterns = List.copyOf(tablePatterns);
    this.excludePatterns = List.copyOf(excludePatterns);
    this.serverIds = Objects.requireNonNull(serverIds, "serverIds");
    this.startupMode = Objects.requireNonNull(startupMode, "startupMode");
    this.chunkSize = chunkSize;
    this.fetchSize = fetchSize;
    this.serverTimeZone = Objects.requireNonNull(serverTimeZone, "serverTimeZone");
    this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    this.pollIntervalMs = pollIntervalMs;
    this.debeziumProperties = Map.copyOf(debeziumProperties);
    this.optionsPath = optionsPath;
    this.lines = lines;
    if (serverIds.size() < parallelism) {
      throw new IllegalArgumentException(
          "server id range " + serverIds + " has " + serverIds.size() + " ids for " + parallelism
              + " parallel readers");
    }
  }

  /**
   * Connects over JDBC and resolves {@code tables} and {@code tables.exclude}; see {@link MySqlTypeMapping} for the
   * type mapping. Problems: an entry matching no table, an invalid regular expression, a column of an unmapped
   * type, a table without a primary key, the binary log off, {@code binlog_format} not ROW, {@code binlog_row_image}
   * not FULL, {@code server-time-zone} not matching the server, {@code server-id} ids that include the server's own
   * {@code server_id}, a user without REPLICATION SLAVE, REPLICATION CLIENT (MariaDB: BINLOG MONITOR) or SELECT on
   * a table (warnings instead when the user has roles, which are not inspected). Warnings: RELOAD missing (not needed), a MySQL (not MariaDB) server, an exclude entry that excludes
   * nothing. Row estimates come from {@code information_schema.TABLES.TABLE_ROWS}, or {@code COUNT(*)} for tables
   * whose statistics say 0 rows, up to 16 MiB of data, else -1.
   *
   * @throws SQLException if the server cannot be reached or refuses the login (the message names host, port and
   *     user, never the password), or a catalog query fails
   */
  @Override
  public SourceDiscovery discover() throws SQLException {
    try (Connection conn = connection.open()) {
      return new MySqlDiscoverer(this).discover(conn);
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("cannot connect")) {
        throw e;
      }
      throw new SQLException(
          "discovery failed on MySQL at " + connection.describe() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  /**
   * Adds a Flink CDC MySQL source reading exactly the given tables (by escaped exact name, never the user's
   * patterns), with operator uid {@value #OPERATOR_UID}, the pipeline's parallelism and this source's server ids.
   * Schema change records are requested ({@code includeSchemaChanges}) so that the deserializer sees DDL, and
   * newly added tables are scanned ({@code scanNewlyAddedTableEnabled}): a restart from a checkpoint with a table
   * added to the list snapshots only that table. A table created while the job runs is not read until a restart,
   * even if the patterns match it.
   *
   * <p>The job must checkpoint: Flink CDC assigns the binlog phase only after a checkpoint completes once every
   * snapshot chunk is read.
   *
   * @param tables tables from {@link #discover()}, not empty
   * @throws IllegalArgumentException if {@code tables} is empty
   */
  @Override
  public DataStream<ChangeEvent> createStream(StreamExecutionEnvironment env, List<TableSchema> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("a mysql source needs at least one table");
    }
    org.apache.flink.cdc.connectors.mysql.source.MySqlSource<ChangeEvent> source = cdcSource(tables);
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      LOG.warn(
          "Checkpointing is not enabled (yet): the MySQL source reads the binlog only after a checkpoint completes "
              + "once the snapshot is done");
    }
    LOG.info(
        "MySQL source {} on {}: {} tables, startup {}, server ids {}",
        pipelineName, connection.describe(), tables.size(), startupMode, serverIds);
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), OPERATOR_NAME)
        .uid(OPERATOR_UID)
        .setParallelism(parallelism);
  }

  /** The Flink CDC source {@link #createStream} adds: exactly these tables, Tributary's deserializer and settings. */
  org.apache.flink.cdc.connectors.mysql.source.MySqlSource<ChangeEvent> cdcSource(List<TableSchema> tables) {
    TreeSet<String> databases = new TreeSet<>();
    String[] tableList = new String[tables.size()];
    for (int i = 0; i < tables.size(); i++) {
      TableSchema t = tables.get(i);
      databases.add(regexQuote(t.tableId().database()));
      tableList[i] = regexQuote(t.tableId().database()) + "\\." + regexQuote(t.tableId().table());
    }
    Properties jdbc = new Properties();
    jdbc.putAll(connection.jdbcProperties());
    return org.apache.flink.cdc.connectors.mysql.source.MySqlSource.<ChangeEvent>builder()
        .hostname(connection.hostname())
        .port(connection.port())
        .databaseList(databases.toArray(new String[0]))
        .tableList(tableList)
        .username(connection.username())
        .password(connection.password() == null ? "" : connection.password())
        .serverId(serverIds.toString())
        .serverTimeZone(serverTimeZone)
        .splitSize(chunkSize)
        .fetchSize(fetchSize)
        .connectTimeout(connection.connectTimeout())
        .heartbeatInterval(heartbeatInterval)
        .startupOptions(startupOptions(startupMode))
        .includeSchemaChanges(true)
        .scanNewlyAddedTableEnabled(true)
        .jdbcProperties(jdbc)
        .debeziumProperties(debeziumProperties())
        .deserializer(new MySqlChangeEventDeserializer(pipelineName, tables, schemaChangeBehavior))
        .build();
  }

  /**
   * The Debezium properties the source runs with: the user's {@code debezium.*} properties, then the settings
   * Tributary fixes because its value conversion depends on them, and {@link MySqlZeroDateConverter}.
   */
  Properties debeziumProperties() {
    Map<String, String> props = new LinkedHashMap<>(debeziumProperties);
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("poll.interval.ms", Long.toString(pollIntervalMs));
    fixed.put("decimal.handling.mode", "precise");
    fixed.put("time.precision.mode", "adaptive_time_microseconds");
    fixed.put("binary.handling.mode", "bytes");
    fixed.put("bigint.unsigned.handling.mode", "precise");
    fixed.put("include.schema.changes", "true");
    fixed.put("tombstones.on.delete", "false");
    fixed.put("converters", ZERO_DATE_CONVERTER);
    fixed.put(ZERO_DATE_CONVERTER + ".type", MySqlZeroDateConverter.class.getName());
    fixed.put(
        ZERO_DATE_CONVERTER + ".enable.time.adjuster", debeziumProperties.getOrDefault("enable.time.adjuster", "true"));
    for (Map.Entry<String, String> e : fixed.entrySet()) {
      String user = debeziumProperties.get(e.getKey());
      if (user != null && !user.equals(e.getValue())) {
        LOG.warn("Ignoring debezium.{}={}: Tributary sets {}={}", e.getKey(), user, e.getKey(), e.getValue());
      }
    }
    props.putAll(fixed);
    Properties out = new Properties();
    out.putAll(props);
    return out;
  }

  private static StartupOptions startupOptions(MySqlStartupMode mode) {
    switch (mode) {
      case LATEST:
        return StartupOptions.latest();
      case SNAPSHOT:
        return StartupOptions.snapshot();
      default:
        return StartupOptions.initial();
    }
  }

  /** Escapes regular-expression metacharacters (Debezium's include lists are regular expressions). */
  static String regexQuote(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if ("\\.[]{}()<>*+-=!?^$|".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The connection settings (the password inside is never logged). */
  public MySqlConnectionSettings connection() {
    return connection;
  }

  /** The startup mode. */
  public MySqlStartupMode startupMode() {
    return startupMode;
  }

  /** The {@code tables} entries as configured. */
  public List<String> tablePatterns() {
    return tablePatterns;
  }

  /** The {@code tables.exclude} entries as configured. */
  public List<String> excludePatterns() {
    return excludePatterns;
  }

  /** The binlog client server ids, one per parallel reader. */
  public MySqlServerIds serverIds() {
    return serverIds;
  }

  /** The server's time zone id ({@code server-time-zone}). */
  public String serverTimeZone() {
    return serverTimeZone;
  }

  /** Rows per snapshot chunk. */
  public int chunkSize() {
    return chunkSize;
  }

  /** Rows per snapshot fetch. */
  public int fetchSize() {
    return fetchSize;
  }

  /** Source parallelism. */
  public int parallelism() {
    return parallelism;
  }

  /** Heartbeat interval. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  String optionsPath() {
    return optionsPath;
  }

  int line(String key) {
    return lines.applyAsInt(key);
  }

  /**
   * Sets what a column change in a captured table does (default EVOLVE); see {@link
   * io.tributary.config.spi.SchemaDrift}.
   *
   * @return this source
   */
  public MySqlSource schemaChangeBehavior(SchemaChangeBehavior behavior) {
    this.schemaChangeBehavior = behavior == null ? SchemaChangeBehavior.EVOLVE : behavior;
    return this;
  }
}
