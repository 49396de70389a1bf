package io.tributary.source.postgres;

import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL source: discovers tables over JDBC on the client, and reads them in the job with Flink CDC's
 * incremental snapshot source (parallel, lock-free, checkpointed chunks, then the log through a replication slot
 * with the {@code pgoutput} plugin). Created by {@link PostgresSourceFactory}; see {@link PostgresSourceOptions}.
 */
public final class PostgresSource implements PipelineSource {
  /** Stable uid of the source operator (checkpoints and savepoints refer to it). */
  public static final String OPERATOR_UID = "tributary-source-postgres";

  /** Name of the source operator in the Flink job. */
  public static final String OPERATOR_NAME = "postgres-source";

  /** The logical decoding plugin; the only one Tributary uses (built into PostgreSQL 10+). */
  public static final String DECODING_PLUGIN = "pgoutput";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresSource.class);

  private final String pipelineName;
  private final int parallelism;
  private final PostgresConnectionSettings connection;
  private final List<String> tablePatterns;
  private final PostgresStartupMode startupMode;
  private final String slotName;
  private final String publicationName;
  private final int chunkSize;
  private final int fetchSize;
  private final long pollIntervalMs;
  private final long heartbeatIntervalMs;
  private final Map<String, String> debeziumProperties;
  private final String optionsPath;
  private final ToIntFunction<String> lines;
  private SchemaChangeBehavior schemaChangeBehavior = SchemaChangeBehavior.EVOLVE;
  private List<String> excludePatterns = List.of();

  /**
   * Builds a source from already validated values; {@link PostgresSourceFactory} is the usual way in.
   *
   * @param pipelineName pipeline name, for {@link io.tributary.schema.SourceInfo#name()}
   * @param parallelism source parallelism, >= 1
   * @param connection where to connect
   * @param tablePatterns the {@code tables} entries (exact names or regular expressions), not empty
   * @param startupMode where to start reading
   * @param slotName replication slot name
   * @param publicationName publication name
   * @param chunkSize rows per snapshot chunk, > 0
   * @param fetchSize rows per snapshot fetch, > 0
   * @param pollIntervalMs Debezium poll interval, ms, > 0
   * @param heartbeatIntervalMs heartbeat interval, ms, > 0
   * @param debeziumProperties raw Debezium properties (already without the {@code debezium.} prefix)
   * @param optionsPath the block's path for problems, e.g. {@code source}
   * @param lines YAML line of an option key (0 when unknown), for problems
   */
  public PostgresSource(
      String pipelineName,
      int parallelism,
      PostgresConnectionSettings connection,
      List<String> tablePatterns,
      PostgresStartupMode startupMode,
      String slotName,
      String publicationName,
      int chunkSize,
      int fetchSize,
      long pollIntervalMs,
      long heartbeatIntervalMs,
      Map<String, String> debeziumProperties,
      String optionsPath,
      ToIntFunction<String> lines) {
    this.pipelineName = pipelineName;
    this.parallelism = parallelism;
    this.connection = Objects.requireNonNull(connection, "connection");
    this.tablePatterns = List.copyOf(tablePatterns);
    this.startupMode = Objects.requireNonNull(startupMode, "startupMode");
    this.slotName = Objects.requireNonNull(slotName, "slotName");
    this.publicationName = Objects.requireNonNull(publicationName, "publicationName");
    this.chunkSize = chunkSize;
    this.fetchSize = fetchSize;
    this.pollIntervalMs = pollIntervalMs;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.debeziumProperties = Map.copyOf(debeziumProperties);
    this.optionsPath = optionsPath;
    this.lines = lines;
  }

  /**
   * Connects over JDBC and resolves {@code tables}; see {@link PostgresTypeMapping} for the type mapping. Problems:
   * an entry matching no table, an invalid regular expression, a column of an unmapped type, a table without a
   * primary key or with REPLICA IDENTITY NOTHING, a partitioned parent table, {@code wal_level} not
   * {@code logical}, a user without REPLICATION, an existing slot of another plugin or database. Warnings: REPLICA
   * IDENTITY not FULL, the slot in use. Row estimates come from {@code pg_class.reltuples}, or {@code count(*)} for
   * never-analyzed tables up to 16 MiB, else -1.
   *
   * @throws SQLException if the server cannot be reached or refuses the login (the message names host, port,
   *     database and user, never the password), or a catalog query fails
   */
  @Override
  public SourceDiscovery discover() throws SQLException {
    try (Connection conn = connection.open("tributary-discovery")) {
      return new PostgresDiscoverer(this).discover(conn);
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("cannot connect")) {
        throw e;
      }
      throw new SQLException(
          "discovery failed on PostgreSQL at " + connection.describe() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  /**
   * Adds a Flink CDC incremental source reading exactly the given tables (by escaped exact name, never the user's
   * patterns), with operator uid {@value #OPERATOR_UID} and the pipeline's parallelism.
   *
   * <p>The job must checkpoint: Flink CDC assigns the log phase (and, in {@code snapshot} mode, the short bounded
   * log phase that ends the job) only after a checkpoint completes once every snapshot chunk is read. The replication
   * slot's confirmed position also advances only on completed checkpoints.
   *
   * @param tables tables from {@link #discover()}, not empty
   * @throws IllegalArgumentException if {@code tables} is empty
   */
  @Override
  public DataStream<ChangeEvent> createStream(StreamExecutionEnvironment env, List<TableSchema> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("a postgres source needs at least one table");
    }
    ensurePublication(tables);
    TreeSet<String> schemas = new TreeSet<>();
    String[] tableList = new String[tables.size()];
    for (int i = 0; i < tables.size(); i++) {
      TableSchema t = tables.get(i);
      schemas.add(regexQuote(t.tableId().schema()));
      tableList[i] = regexQuote(t.tableId().schema()) + "\\." + regexQuote(t.tableId().table());
    }
    PostgresSourceBuilder.PostgresIncrementalSource<ChangeEvent> source =
        PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
            .hostname(connection.hostname())
            .port(connection.port())
            .database(connection.database())
            .schemaList(schemas.toArray(new String[0]))
            .tableList(tableList)
            .username(connection.username())
            .password(connection.password() == null ? "" : connection.password())
            .slotName(slotName)
            .decodingPluginName(DECODING_PLUGIN)
            .splitSize(chunkSize)
            .fetchSize(fetchSize)
            .connectTimeout(connection.connectTimeout())
            .heartbeatInterval(Duration.ofMillis(heartbeatIntervalMs))
            .startupOptions(startupOptions(startupMode))
            // a restore whose table list gained tables snapshots only those, then streams them with the others
            .scanNewlyAddedTableEnabled(true)
            .debeziumProperties(debeziumProperties(tables))
            .deserializer(new PostgresChangeEventDeserializer(pipelineName, tables, schemaChangeBehavior))
            .build();
    if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      LOG.warn(
          "Checkpointing is not enabled (yet): the PostgreSQL source reads the log only after a checkpoint completes "
              + "once the snapshot is done");
    }
    LOG.info(
        "PostgreSQL source {} on {}: {} tables, startup {}, slot {}, publication {}",
        pipelineName, connection.describe(), tables.size(), startupMode, slotName, publicationName);
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), OPERATOR_NAME)
        .uid(OPERATOR_UID)
        .setParallelism(parallelism);
  }

  /**
   * Creates this pipeline's publication for exactly the captured tables, or sets an existing one to them, before the
   * job starts. pgoutput decides whether a change is published by the publication's tables at the time of the change
   * (decoding uses the catalog as of each WAL record): a publication that Debezium creates or extends later, when a
   * reader first streams, silently misses every change made to a table before it was added. Skipped when the user
   * chose another {@code debezium.publication.autocreate.mode}.
   *
   * @throws IllegalStateException if the publication cannot be created or altered (the message names it and the
   *     user, who must own the tables or be a superuser)
   */
  void ensurePublication(List<TableSchema> tables) {
    if (debeziumProperties.containsKey("publication.autocreate.mode")) {
      return;
    }
    StringBuilder list = new StringBuilder();
    for (TableSchema t : tables) {
      if (list.length() > 0) {
        list.append(", ");
      }
      list.append(quoteIdent(t.tableId().schema())).append('.').append(quoteIdent(t.tableId().table()));
    }
    try (Connection conn = connection.open("tributary-publication");
        java.sql.PreparedStatement exists = conn.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?");
        java.sql.Statement st = conn.createStatement()) {
      exists.setString(1, publicationName);
      boolean present;
      try (java.sql.ResultSet rs = exists.executeQuery()) {
        present = rs.next();
      }
      if (present) {
        st.execute("ALTER PUBLICATION " + quoteIdent(publicationName) + " SET TABLE " + list);
      } else {
        st.execute("CREATE PUBLICATION " + quoteIdent(publicationName) + " FOR TABLE " + list);
      }
      LOG.info("Publication {} covers {} table(s)", publicationName, tables.size());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create or alter publication " + publicationName + " on " + connection.describe() + ": "
              + e.getMessage(), e);
    }
  }

  private static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  /**
   * The Debezium properties the source runs with: the user's {@code debezium.*} properties, then the settings
   * Tributary fixes (its value conversion depends on them) and the publication.
   */
  Properties debeziumProperties() {
    return debeziumProperties(List.of());
  }

  /**
   * As {@link #debeziumProperties()}, with the numeric converter told to leave these tables' primary key columns to
   * Debezium (see {@link PostgresNumericConverter}).
   */
  Properties debeziumProperties(List<TableSchema> tables) {
    Map<String, String> props = new LinkedHashMap<>();
    // Tributary creates the publication itself before the job starts (see ensurePublication).
    props.put("publication.autocreate.mode", "disabled");
    props.putAll(debeziumProperties);
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("publication.name", publicationName);
    fixed.put("poll.interval.ms", Long.toString(pollIntervalMs));
    fixed.put("decimal.handling.mode", "precise");
    fixed.put("converters", PostgresNumericConverter.NAME);
    fixed.put(PostgresNumericConverter.NAME + ".type", PostgresNumericConverter.class.getName());
    List<String> keyColumns = new ArrayList<>();
    for (TableSchema t : tables) {
      for (String pk : t.primaryKey()) {
        keyColumns.add(t.tableId().schema() + "." + t.tableId().table() + "." + pk);
      }
    }
    fixed.put(PostgresNumericConverter.NAME + ".skip", String.join(",", keyColumns));
    fixed.put("time.precision.mode", "adaptive_time_microseconds");
    fixed.put("binary.handling.mode", "bytes");
    fixed.put("tombstones.on.delete", "false");
    fixed.put("unavailable.value.placeholder", PostgresChangeEventDeserializer.UNAVAILABLE_VALUE);
    for (Map.Entry<String, String> e : fixed.entrySet()) {
      String user = debeziumProperties.get(e.getKey());
      if (user != null && !user.equals(e.getValue())) {
        LOG.warn(
            "Ignoring debezium.{}={}: Tributary sets {}={}", e.getKey(), user, e.getKey(), e.getValue());
      }
    }
    props.putAll(fixed);
    Properties out = new Properties();
    out.putAll(props);
    return out;
  }

  private static StartupOptions startupOptions(PostgresStartupMode mode) {
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

  /**
   * Sets what a column change in a captured table does (default EVOLVE); see {@link
   * io.tributary.config.spi.SchemaDrift}.
   *
   * @return this source
   */
  public PostgresSource schemaChangeBehavior(SchemaChangeBehavior behavior) {
    this.schemaChangeBehavior = behavior == null ? SchemaChangeBehavior.EVOLVE : behavior;
    return this;
  }

  /**
   * Sets the {@code tables.exclude} entries: regular expressions (or exact names) over {@code schema.table}; a table
   * they match is left out of what {@code tables} matched.
   *
   * @return this source
   */
  public PostgresSource excludePatterns(List<String> patterns) {
    this.excludePatterns = patterns == null ? List.of() : List.copyOf(patterns);
    return this;
  }

  /** The {@code tables.exclude} entries as configured. */
  public List<String> excludePatterns() {
    return excludePatterns;
  }

  /** The connection settings (the password inside is never logged). */
  public PostgresConnectionSettings connection() {
    return connection;
  }

  /** The replication slot this source reads. */
  public String slotName() {
    return slotName;
  }

  /** The publication this source subscribes to. */
  public String publicationName() {
    return publicationName;
  }

  /** The startup mode. */
  public PostgresStartupMode startupMode() {
    return startupMode;
  }

  /** The {@code tables} entries as configured. */
  public List<String> tablePatterns() {
    return tablePatterns;
  }

  /** Rows per snapshot chunk. */
  public int chunkSize() {
    return chunkSize;
  }

  /** Source parallelism. */
  public int parallelism() {
    return parallelism;
  }

  String optionsPath() {
    return optionsPath;
  }

  int line(String key) {
    return lines.applyAsInt(key);
  }
}
