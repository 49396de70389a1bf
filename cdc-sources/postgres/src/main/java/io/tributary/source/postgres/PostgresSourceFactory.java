package io.tributary.source.postgres;

import static io.tributary.source.postgres.PostgresSourceOptions.CONNECT_TIMEOUT;
import static io.tributary.source.postgres.PostgresSourceOptions.DATABASE;
import static io.tributary.source.postgres.PostgresSourceOptions.DEBEZIUM_PREFIX;
import static io.tributary.source.postgres.PostgresSourceOptions.HEARTBEAT_INTERVAL_MS;
import static io.tributary.source.postgres.PostgresSourceOptions.HOSTNAME;
import static io.tributary.source.postgres.PostgresSourceOptions.PASSWORD;
import static io.tributary.source.postgres.PostgresSourceOptions.POLL_INTERVAL_MS;
import static io.tributary.source.postgres.PostgresSourceOptions.PORT;
import static io.tributary.source.postgres.PostgresSourceOptions.PUBLICATION_NAME;
import static io.tributary.source.postgres.PostgresSourceOptions.SLOT_NAME;
import static io.tributary.source.postgres.PostgresSourceOptions.SNAPSHOT_CHUNK_SIZE;
import static io.tributary.source.postgres.PostgresSourceOptions.SNAPSHOT_FETCH_SIZE;
import static io.tributary.source.postgres.PostgresSourceOptions.STARTUP_MODE;
import static io.tributary.source.postgres.PostgresSourceOptions.TABLES;
import static io.tributary.source.postgres.PostgresSourceOptions.TABLES_EXCLUDE;
import static io.tributary.source.postgres.PostgresSourceOptions.USERNAME;

import io.tributary.config.ConfigOption;
import io.tributary.config.Options;
import io.tributary.config.PipelineSettings;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceContext;
import io.tributary.config.spi.SourceFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code postgres} source type: PostgreSQL change data capture through logical replication ({@code pgoutput}).
 * Options: {@link PostgresSourceOptions}; keys under {@code debezium.} pass through to Debezium.
 */
public final class PostgresSourceFactory implements SourceFactory {
  /** The YAML {@code type} of this source. */
  public static final String IDENTIFIER = "postgres";

  /** Longest slot name accepted: PostgreSQL allows 63 characters and Flink CDC appends {@code _<subtask>}. */
  public static final int MAX_SLOT_NAME_LENGTH = 58;

  private static final Pattern SLOT_NAME_PATTERN = Pattern.compile("[a-z0-9_]+");
  private static final Pattern PUBLICATION_NAME_PATTERN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  @Override
  public String identifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(HOSTNAME, DATABASE, USERNAME, TABLES);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        PORT,
        PASSWORD,
        TABLES_EXCLUDE,
        STARTUP_MODE,
        SLOT_NAME,
        PUBLICATION_NAME,
        SNAPSHOT_CHUNK_SIZE,
        SNAPSHOT_FETCH_SIZE,
        POLL_INTERVAL_MS,
        HEARTBEAT_INTERVAL_MS,
        CONNECT_TIMEOUT);
  }

  /**
   * Debezium properties a {@code debezium.} key may not set (nor any {@code database.*}): they decide which server,
   * slot, plugin and tables are read, and Tributary derives them from its own options.
   */
  public static final Set<String> MANAGED_DEBEZIUM_KEYS =
      Set.of("slot.name", "plugin.name", "table.include.list", "schema.include.list", "table.exclude.list",
          "schema.exclude.list", "publication.name", "snapshot.mode", "topic.prefix");

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of(DEBEZIUM_PREFIX);
  }

  /**
   * Creates the source; connects nowhere.
   *
   * @throws IllegalArgumentException if a value is out of range (port, sizes, intervals), {@code tables} is empty,
   *     or a slot or publication name (given or derived from the pipeline name) is not valid for PostgreSQL; the
   *     message reads {@code Invalid value X for configuration Y: reason}
   * @throws io.tributary.config.PipelineValidationException if a value does not parse
   */
  @Override
  public PipelineSource createSource(SourceContext context) {
    Options options = context.options();
    PipelineSettings pipeline = context.pipeline().pipeline();
    String derived = "tributary_" + pipeline.name().replace('-', '_');

    int port = options.get(PORT);
    check(options, PORT, port >= 1 && port <= 65535, "use a TCP port between 1 and 65535");
    List<String> tables = options.get(TABLES);
    check(options, TABLES, tables != null && !tables.isEmpty(), "list at least one table");
    String slot = options.contains(SLOT_NAME) ? options.get(SLOT_NAME) : derived;
    check(
        options,
        SLOT_NAME,
        slot,
        SLOT_NAME_PATTERN.matcher(slot).matches() && slot.length() <= MAX_SLOT_NAME_LENGTH,
        "a replication slot name uses lower-case letters, digits and _ and has at most " + MAX_SLOT_NAME_LENGTH
            + " characters" + (options.contains(SLOT_NAME) ? "" : " (derived from the pipeline name; set slot.name)"));
    String publication = options.contains(PUBLICATION_NAME) ? options.get(PUBLICATION_NAME) : derived;
    check(
        options,
        PUBLICATION_NAME,
        publication,
        PUBLICATION_NAME_PATTERN.matcher(publication).matches(),
        "a publication name starts with a lower-case letter or _, then lower-case letters, digits or _, at most 63"
            + (options.contains(PUBLICATION_NAME) ? "" : " (derived from the pipeline name; set publication.name)"));
    int chunkSize = options.get(SNAPSHOT_CHUNK_SIZE);
    check(options, SNAPSHOT_CHUNK_SIZE, chunkSize > 0, "must be at least 1 row");
    int fetchSize = options.get(SNAPSHOT_FETCH_SIZE);
    check(options, SNAPSHOT_FETCH_SIZE, fetchSize > 0, "must be at least 1 row");
    long poll = options.get(POLL_INTERVAL_MS);
    check(options, POLL_INTERVAL_MS, poll > 0, "must be at least 1 ms");
    long heartbeat = options.get(HEARTBEAT_INTERVAL_MS);
    check(options, HEARTBEAT_INTERVAL_MS, heartbeat > 0, "must be at least 1 ms");
    Duration connectTimeout = options.get(CONNECT_TIMEOUT);
    check(options, CONNECT_TIMEOUT, !connectTimeout.isZero(), "must be positive");

    Map<String, String> debezium = new LinkedHashMap<>();
    options.asMap().forEach(
        (k, v) -> {
          if (k.startsWith(DEBEZIUM_PREFIX) && k.length() > DEBEZIUM_PREFIX.length()) {
            String key = k.substring(DEBEZIUM_PREFIX.length());
            // Flink CDC applies debezium.* after its own settings: these would silently change what is read
            if (MANAGED_DEBEZIUM_KEYS.contains(key) || key.startsWith("database.")) {
              throw new IllegalArgumentException(
                  options.path() + "." + k + ": Tributary sets '" + key + "' itself (from the source options: "
                      + "hostname, port, database, username, password, tables, slot.name, publication.name); "
                      + "remove it");
            }
            debezium.put(key, v);
          }
        });

    PostgresConnectionSettings connection =
        new PostgresConnectionSettings(
            options.get(HOSTNAME),
            port,
            options.get(DATABASE),
            options.get(USERNAME),
            options.get(PASSWORD),
            connectTimeout);
    return new PostgresSource(
        pipeline.name(),
        Math.max(1, pipeline.parallelism()),
        connection,
        tables,
        options.get(STARTUP_MODE),
        slot,
        publication,
        chunkSize,
        fetchSize,
        poll,
        heartbeat,
        debezium,
        options.path(),
        options::line)
        .schemaChangeBehavior(pipeline.schemaChangeBehavior())
        .excludePatterns(options.get(TABLES_EXCLUDE));
  }

  private static void check(Options options, ConfigOption<?> option, boolean ok, String reason) {
    check(options, option, options.getString(option.key()), ok, reason);
  }

  private static void check(Options options, ConfigOption<?> option, String shown, boolean ok, String reason) {
    if (!ok) {
      throw new IllegalArgumentException(
          Options.invalid(option, String.valueOf(shown), new IllegalArgumentException(reason)));
    }
  }
}
