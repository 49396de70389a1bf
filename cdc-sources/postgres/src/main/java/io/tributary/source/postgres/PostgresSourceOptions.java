package io.tributary.source.postgres;

import io.tributary.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * The options of a {@code type: postgres} source block.
 *
 * <p>Besides these keys, any key under {@link #DEBEZIUM_PREFIX} is passed to Debezium without the prefix, except
 * the settings Tributary fixes because its value conversion depends on them ({@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code binary.handling.mode=bytes},
 * {@code tombstones.on.delete=false}, {@code slot.name}, {@code publication.name}, {@code plugin.name=pgoutput}).
 */
public final class PostgresSourceOptions {
  /** Prefix of raw Debezium connector properties, for example {@code debezium.publication.autocreate.mode}. */
  public static final String DEBEZIUM_PREFIX = "debezium.";

  /** Server host name or address. Required. */
  public static final ConfigOption<String> HOSTNAME =
      ConfigOption.string("hostname", null, "Host name or IP address of the PostgreSQL server.");

  /** Server port; default 5432. */
  public static final ConfigOption<Integer> PORT =
      ConfigOption.integer("port", 5432, "TCP port of the PostgreSQL server.");

  /** Database to capture. Required. */
  public static final ConfigOption<String> DATABASE =
      ConfigOption.string("database", null, "Name of the PostgreSQL database whose tables are captured.");

  /** User to connect as. Required. */
  public static final ConfigOption<String> USERNAME =
      ConfigOption.string(
          "username",
          null,
          "PostgreSQL user; needs the REPLICATION attribute (or superuser), SELECT on the captured tables and, "
              + "unless the publication exists, ownership of them.");

  /** Password; default none. Write it as a secret reference. */
  public static final ConfigOption<String> PASSWORD =
      ConfigOption.string(
          "password", null, "Password of the user; use a reference such as ${env:PG_PASSWORD}, never a literal.");

  /** Tables to capture: exact {@code schema.table} names or regular expressions over {@code schema.table}. */
  public static final ConfigOption<List<String>> TABLES =
      ConfigOption.list(
          "tables",
          null,
          "Tables to capture: exact schema.table names (public.orders) or Java regular expressions matched against "
              + "the whole schema.table name (public\\.order_items_.*). System schemas are never matched.");

  /** Tables to leave out of what {@link #TABLES} matched: regular expressions over {@code schema.table}. */
  public static final ConfigOption<List<String>> TABLES_EXCLUDE =
      ConfigOption.list(
          "tables.exclude",
          List.of(),
          "Tables to leave out of what 'tables' matched: Java regular expressions (or exact names) matched against the "
              + "whole schema.table name, e.g. public\\.tmp_.*.");

  /** Where to start; default {@link PostgresStartupMode#INITIAL}. */
  public static final ConfigOption<PostgresStartupMode> STARTUP_MODE =
      ConfigOption.enumOption(
          "startup.mode",
          PostgresStartupMode.class,
          PostgresStartupMode.INITIAL,
          "initial: snapshot, then stream changes; latest: stream changes only; snapshot: snapshot only, then the "
              + "job finishes.");

  /** Replication slot name; default {@code tributary_<pipeline name, - as _>}. */
  public static final ConfigOption<String> SLOT_NAME =
      ConfigOption.string(
          "slot.name",
          null,
          "Logical replication slot of this pipeline (lower-case letters, digits, _; at most 58 characters). "
              + "Default: tributary_<pipeline name with - as _>. Every pipeline needs its own slot.");

  /** Publication name; default {@code tributary_<pipeline name, - as _>}. */
  public static final ConfigOption<String> PUBLICATION_NAME =
      ConfigOption.string(
          "publication.name",
          null,
          "pgoutput publication of this pipeline (lower-case letters, digits, _). Default: tributary_<pipeline name "
              + "with - as _>. Created (or altered) to hold exactly the captured tables unless "
              + "debezium.publication.autocreate.mode says otherwise.");

  /** Rows per snapshot chunk; default 8096. */
  public static final ConfigOption<Integer> SNAPSHOT_CHUNK_SIZE =
      ConfigOption.integer(
          "snapshot.chunk.size", 8096, "Rows per snapshot chunk (the unit of parallel, checkpointed snapshot reads).");

  /** JDBC fetch size of snapshot reads; default 1024 rows. */
  public static final ConfigOption<Integer> SNAPSHOT_FETCH_SIZE =
      ConfigOption.integer("snapshot.fetch.size", 1024, "Rows fetched per round trip while reading a snapshot chunk.");

  /** Debezium's poll interval; default 20 ms (Debezium's own 500 ms dominates latency, STACK.md item 6). */
  public static final ConfigOption<Long> POLL_INTERVAL_MS =
      ConfigOption.longOption(
          "poll.interval.ms", 20L, "Milliseconds Debezium waits for new change events before polling again.");

  /** Heartbeat interval; default 30000 ms. */
  public static final ConfigOption<Long> HEARTBEAT_INTERVAL_MS =
      ConfigOption.longOption(
          "heartbeat.interval.ms",
          30_000L,
          "Milliseconds between heartbeats, which let the slot advance while captured tables are quiet.");

  /** Connect timeout for JDBC and replication connections; default 30 s. */
  public static final ConfigOption<Duration> CONNECT_TIMEOUT =
      ConfigOption.duration(
          "connect.timeout", Duration.ofSeconds(30), "Timeout for opening a connection to PostgreSQL (e.g. 30s).");

  private PostgresSourceOptions() {}
}
