package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigProblem;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the source against a real PostgreSQL (zonky embedded binaries, {@code wal_level=logical}) and a Flink
 * MiniCluster in this JVM: discovery, snapshot rows with exact values, then inserts, updates and deletes from the
 * log, and a snapshot-only run that finishes by itself.
 */
class PostgresSourceITCase {
  private static final String DB = "postgres";
  private static final String USER = "postgres";
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** Events from the running job; the sink runs in this JVM. */
  private static final Queue<ChangeEvent> EVENTS = new ConcurrentLinkedQueue<>();

  private static EmbeddedPostgres pg;
  private static MiniCluster flink;
  private static String bigText;

  private static final LocalDateTime LOCAL = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
  private static final long LOCAL_MICROS = LOCAL.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L;

  @BeforeAll
  static void start() throws Exception {
    pg =
        EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "10")
            .setServerConfig("max_wal_senders", "10")
            .setServerConfig("timezone", "UTC")
            .setPGStartupWait(Duration.ofSeconds(60))
            .start();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      sb.append(Integer.toHexString((int) (Math.random() * Integer.MAX_VALUE))).append(i);
    }
    bigText = sb.toString();
    sql(
        "CREATE TABLE public.all_types ("
            + " id bigint PRIMARY KEY, c_smallint smallint, c_integer integer, c_serial serial, c_bigint bigint,"
            + " c_bigserial bigserial, c_numeric numeric(12,3), c_real real, c_double double precision,"
            + " c_boolean boolean, c_text text, c_varchar varchar(20), c_char char(4), c_date date, c_time time,"
            + " c_timestamp timestamp, c_ts3 timestamp(3), c_timestamptz timestamptz, c_uuid uuid, c_json json,"
            + " c_jsonb jsonb, c_bytea bytea, c_required text NOT NULL DEFAULT 'x')",
        "ALTER TABLE public.all_types REPLICA IDENTITY FULL",
        "CREATE TABLE public.with_interval (id int PRIMARY KEY, d interval, n numeric)",
        "CREATE TABLE public.no_pk (x int)",
        "CREATE TABLE public.order_items_1 (id int PRIMARY KEY, v text)",
        "CREATE TABLE public.order_items_2 (id int PRIMARY KEY, v text)",
        "INSERT INTO public.order_items_1 VALUES (1, 'a'), (2, 'b')",
        insertAllTypes(1),
        insertAllTypes(2),
        "INSERT INTO public.all_types (id, c_integer, c_text) VALUES (3, 3, '" + bigText + "')",
        "INSERT INTO public.all_types (id) VALUES (4)");

    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(PARALLELISM)
                .build());
    flink.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (flink != null) {
        flink.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  private static String insertAllTypes(long id) {
    return "INSERT INTO public.all_types (id, c_smallint, c_integer, c_bigint, c_numeric, c_real, c_double,"
        + " c_boolean, c_text, c_varchar, c_char, c_date, c_time, c_timestamp, c_ts3, c_timestamptz, c_uuid,"
        + " c_json, c_jsonb, c_bytea) VALUES (" + id + ", -12, 123456, 9007199254740993, 12345.678, 1.5,"
        + " 2.718281828459045, true, 'héllo', 'var', 'ab', '2024-02-29', '13:14:15.654321',"
        + " '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456', '2024-01-02 05:04:05.123456+02',"
        + " '5f1b8c2e-1d7a-4a53-9f6e-0c2b4a9d8e71', '{\"a\": [1, 2]}', '{\"b\":  true}', '\\x00ff10')";
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(PostgresConnectionSettings.jdbcUrl("127.0.0.1", pg.getPort(), DB), USER, "");
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static PostgresSource source(String pipeline, Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", "127.0.0.1");
    m.put("port", Integer.toString(pg.getPort()));
    m.put("database", DB);
    m.put("username", USER);
    m.put("snapshot.chunk.size", "2");
    m.put("heartbeat.interval.ms", "1000");
    m.putAll(extra);
    return (PostgresSource)
        new PostgresSourceFactory().createSource(PostgresSourceFactoryTest.context(pipeline, PARALLELISM, m));
  }

  @Test
  void discoverMapsEveryColumnOfTheMatchedTables() throws Exception {
    PostgresSource source = source("discover", Map.of("tables", "public.all_types,public\\.order_items_.*"));
    SourceDiscovery d = source.discover();

    assertThat(d.problems()).isEmpty();
    assertThat(d.tables().stream().map(t -> t.tableId().toString()))
        .containsExactly("postgres.public.all_types", "postgres.public.order_items_1", "postgres.public.order_items_2");
    TableSchema all = d.tables().get(0);
    assertThat(all.primaryKey()).containsExactly("id");
    Map<String, ColumnKind> kinds =
        all.columns().stream().collect(Collectors.toMap(Column::name, Column::kind, (a, b) -> a, LinkedHashMap::new));
    assertThat(kinds)
        .containsExactly(
            Map.entry("id", ColumnKind.INT64),
            Map.entry("c_smallint", ColumnKind.INT32),
            Map.entry("c_integer", ColumnKind.INT32),
            Map.entry("c_serial", ColumnKind.INT32),
            Map.entry("c_bigint", ColumnKind.INT64),
            Map.entry("c_bigserial", ColumnKind.INT64),
            Map.entry("c_numeric", ColumnKind.DECIMAL),
            Map.entry("c_real", ColumnKind.FLOAT32),
            Map.entry("c_double", ColumnKind.FLOAT64),
            Map.entry("c_boolean", ColumnKind.BOOLEAN),
            Map.entry("c_text", ColumnKind.STRING),
            Map.entry("c_varchar", ColumnKind.STRING),
            Map.entry("c_char", ColumnKind.STRING),
            Map.entry("c_date", ColumnKind.DATE),
            Map.entry("c_time", ColumnKind.TIME_MICROS),
            Map.entry("c_timestamp", ColumnKind.TIMESTAMP_MICROS),
            Map.entry("c_ts3", ColumnKind.TIMESTAMP_MICROS),
            Map.entry("c_timestamptz", ColumnKind.TIMESTAMP_TZ_MICROS),
            Map.entry("c_uuid", ColumnKind.UUID),
            Map.entry("c_json", ColumnKind.JSON),
            Map.entry("c_jsonb", ColumnKind.JSON),
            Map.entry("c_bytea", ColumnKind.BYTES),
            Map.entry("c_required", ColumnKind.STRING));
    Column numeric = all.column("c_numeric").orElseThrow();
    assertThat(numeric.precision()).isEqualTo(12);
    assertThat(numeric.scale()).isEqualTo(3);
    assertThat(numeric.sourceType()).isEqualTo("numeric(12,3)");
    assertThat(all.column("id").orElseThrow().nullable()).isFalse();
    assertThat(all.column("c_required").orElseThrow().nullable()).isFalse();
    assertThat(all.column("c_text").orElseThrow().nullable()).isTrue();
    assertThat(all.column("c_varchar").orElseThrow().sourceType()).isEqualTo("character varying(20)");

    assertThat(d.estimatedRows())
        .containsEntry(all.tableId(), 4L)
        .containsEntry(new TableId(DB, "public", "order_items_1"), 2L)
        .containsEntry(new TableId(DB, "public", "order_items_2"), 0L);
    // all_types has REPLICA IDENTITY FULL; the order_items tables keep the default
    assertThat(d.warnings())
        .containsExactly(
            "table public.all_types column c_time (time without time zone): snapshot rows carry milliseconds only "
                + "(Flink CDC 3.5 reads snapshots through JDBC's java.sql.Time); changes from the log keep "
                + "microseconds",
            replicaIdentityWarning("order_items_1"),
            replicaIdentityWarning("order_items_2"));
  }

  private static String replicaIdentityWarning(String table) {
    return "table public." + table + " has REPLICA IDENTITY DEFAULT: updates carry no before image and deletes "
        + "carry only the key columns in before (other columns null), and an update that leaves a large (TOASTed) "
        + "value unchanged fails the job; run ALTER TABLE \"public\".\"" + table + "\" REPLICA IDENTITY FULL";
  }

  @Test
  void discoverReportsEveryProblem() throws Exception {
    PostgresSource source =
        source("problems", Map.of("tables", "public.with_interval,public.no_pk,public\\.nothing_.*,public.missing,(["));
    SourceDiscovery d = source.discover();

    assertThat(d.tables()).isEmpty();
    List<String> problems = d.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "source.tables (line 12): table public.with_interval column d has type 'interval', which Tributary does "
                + "not map; supported: " + PostgresTypeMapping.SUPPORTED,
            "source.tables (line 12): table public.with_interval column n has type 'numeric' without precision and "
                + "scale, which Tributary does not map (an Avro decimal needs a fixed precision and scale); declare "
                + "it numeric(p,s)",
            "source.tables (line 12): table public.no_pk has no primary key; Tributary needs one (message keys, "
                + "record keys and snapshot chunks are derived from it): add one with ALTER TABLE \"public\".\"no_pk\" "
                + "ADD PRIMARY KEY (...)",
            "source.tables (line 12): 'public\\.nothing_.*' matches no table in database postgres (system schemas "
                + "excluded); write schema.table, e.g. public.orders, or a regular expression over schema.table, "
                + "e.g. public\\.order_items_.*",
            "source.tables (line 12): 'public.missing' matches no table in database postgres (system schemas "
                + "excluded); write schema.table, e.g. public.orders, or a regular expression over schema.table, "
                + "e.g. public\\.order_items_.*",
            "source.tables (line 12): '([' is neither a schema.table name nor a valid regular expression: "
                + "Unclosed character class");
  }

  @Test
  void connectionErrorNamesHostPortDatabaseAndUserButNotThePassword() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", "127.0.0.1");
    m.put("port", Integer.toString(pg.getPort()));
    m.put("database", "no_such_db");
    m.put("username", "nobody");
    m.put("password", "hunter2-secret");
    m.put("tables", "public.t");
    m.put("connect.timeout", "3s");
    PostgresSource source =
        (PostgresSource) new PostgresSourceFactory().createSource(PostgresSourceFactoryTest.context("err", 1, m));
    assertThatThrownBy(source::discover)
        .isInstanceOf(SQLException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL at 127.0.0.1:" + pg.getPort()
            + ", database no_such_db, user nobody: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
  }

  @Test
  void snapshotThenLogChanges() throws Exception {
    String slot = "tributary_it_stream";
    PostgresSource source = source("it-stream", Map.of("tables", "public.all_types"));
    assertThat(source.slotName()).isEqualTo(slot);
    SourceDiscovery d = source.discover();
    assertThat(d.problems()).isEmpty();
    EVENTS.clear();
    JobID job = submit(source, d.tables());
    try {
      List<ChangeEvent> snapshot = await(e -> e.op() == Op.READ, 4);
      Map<Object, ChangeEvent> byId =
          snapshot.stream().collect(Collectors.toMap(e -> e.after().get("id"), e -> e));
      assertThat(byId).containsOnlyKeys(1L, 2L, 3L, 4L);
      ChangeEvent r1 = byId.get(1L);
      assertThat(r1.before()).isNull();
      assertFullRow(r1.after(), 1L, true);
      assertThat(r1.after().get("c_serial")).isEqualTo(1);
      assertThat(r1.after().get("c_bigserial")).isEqualTo(1L);
      assertThat(r1.source().snapshot()).isTrue();
      assertThat(r1.source().connector()).isEqualTo("postgresql");
      assertThat(r1.source().name()).isEqualTo("it-stream");
      assertThat(r1.tableId()).isEqualTo(new TableId(DB, "public", "all_types"));
      ChangeEvent r4 = byId.get(4L);
      assertThat(r4.after().get("c_text")).isNull();
      assertThat(r4.after().get("c_numeric")).isNull();
      assertThat(r4.after().get("c_required")).isEqualTo("x");
      assertThat(byId.get(3L).after().get("c_text")).isEqualTo(bigText);
      // snapshot rows: ordering = the record's LSN when Flink CDC set one (back-filled rows), else 0
      assertThat(snapshot)
          .allSatisfy(
              e -> assertThat(e.source().ordering()).isEqualTo(e.source().lsn() == null ? 0L : e.source().lsn()));
      long maxSnapshotOrdering = snapshot.stream().mapToLong(e -> e.source().ordering()).max().orElseThrow();

      sql(insertAllTypes(10));
      sql("UPDATE public.all_types SET c_text = 'changed', c_numeric = 0.5, c_timestamptz = '1969-12-31 23:59:59.999999+00'"
          + " WHERE id = 1");
      sql("UPDATE public.all_types SET c_integer = 33 WHERE id = 3"); // leaves the TOASTed c_text unchanged
      sql("DELETE FROM public.all_types WHERE id = 2");

      List<ChangeEvent> log = await(e -> e.op() != Op.READ, 4);
      assertThat(log.stream().map(e -> e.op().code())).containsExactly("c", "u", "u", "d");

      ChangeEvent c = log.get(0);
      assertThat(c.before()).isNull();
      assertFullRow(c.after(), 10L, false);

      ChangeEvent u = log.get(1);
      assertFullRow(u.before(), 1L, false);
      assertThat(u.after().get("c_text")).isEqualTo("changed");
      assertThat(u.after().get("c_numeric")).isEqualTo(new BigDecimal("0.500"));
      assertThat(u.after().get("c_timestamptz")).isEqualTo(-1L);
      assertThat(u.after().get("c_bytea")).isEqualTo(new byte[] {0, (byte) 0xff, 0x10});

      ChangeEvent toast = log.get(2);
      assertThat(toast.after().get("c_integer")).isEqualTo(33);
      assertThat(toast.after().get("c_text")).isEqualTo(bigText);

      ChangeEvent del = log.get(3);
      assertThat(del.after()).isNull();
      assertFullRow(del.before(), 2L, false);

      for (ChangeEvent e : log) {
        assertThat(e.source().snapshot()).isFalse();
        assertThat(e.source().lsn()).isNotNull().isEqualTo(e.source().ordering());
        assertThat(e.source().txId()).isNotNull();
        assertThat(e.source().tsMs()).isGreaterThan(0L);
        assertThat(e.source().ordering()).isGreaterThan(maxSnapshotOrdering);
      }
      List<Long> orderings = log.stream().map(e -> e.source().ordering()).collect(Collectors.toList());
      assertThat(orderings).isSorted().doesNotHaveDuplicates();
    } finally {
      cancel(job);
      PostgresSlots.drop(connectUrl(), USER, "", slot, source.publicationName());
    }
    assertThat(slotsNamed(slot)).isZero();
  }

  @Test
  void snapshotModeReadsOnceAndFinishes() throws Exception {
    PostgresSource source =
        source("it-snap", Map.of("tables", "public\\.order_items_.*", "startup.mode", "snapshot"));
    SourceDiscovery d = source.discover();
    assertThat(d.problems()).isEmpty();
    assertThat(d.warnings()).contains(PostgresDiscoverer.SNAPSHOT_MODE_WARNING);
    EVENTS.clear();
    JobID job = submit(source, d.tables());
    try {
      await(e -> true, 2);
      // if the log moved during the snapshot, Flink CDC 3.5 ends the bounded log phase only with a later change
      // (see PostgresStartupMode); this change itself lies past the snapshot and must not be emitted
      // order_items_1's two rows have arrived, so its chunk is done: the row below lies past the snapshot
      sql("INSERT INTO public.order_items_1 VALUES (3, 'after the snapshot')");
      JobResult result = flink.requestJobResult(job).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
      List<ChangeEvent> events = new ArrayList<>(EVENTS);
      assertThat(events).allSatisfy(e -> assertThat(e.op()).isEqualTo(Op.READ));
      assertThat(events.stream().map(e -> e.tableId().table() + ":" + e.after().get("id") + ":" + e.after().get("v")))
          .containsExactlyInAnyOrder("order_items_1:1:a", "order_items_1:2:b");
    } finally {
      cancel(job);
      PostgresSlots.drop(connectUrl(), USER, "", source.slotName(), source.publicationName());
      sql("DELETE FROM public.order_items_1 WHERE id = 3");
    }
    assertThat(slotsNamed(source.slotName())).isZero();
  }

  /**
   * Checks a row inserted by {@link #insertAllTypes}. Snapshot rows carry {@code time} values with millisecond
   * precision only (Flink CDC 3.5 reads snapshot values through JDBC's java.sql.Time); log events keep microseconds.
   */
  private static void assertFullRow(Map<String, Object> row, long id, boolean snapshot) {
    assertThat(row.get("id")).isEqualTo(id);
    assertThat(row.get("c_smallint")).isEqualTo(-12);
    assertThat(row.get("c_integer")).isEqualTo(123456);
    assertThat(row.get("c_bigint")).isEqualTo(9007199254740993L);
    assertThat(row.get("c_numeric")).isEqualTo(new BigDecimal("12345.678"));
    assertThat(row.get("c_real")).isEqualTo(1.5f);
    assertThat(row.get("c_double")).isEqualTo(2.718281828459045d);
    assertThat(row.get("c_boolean")).isEqualTo(true);
    assertThat(row.get("c_text")).isEqualTo("héllo");
    assertThat(row.get("c_varchar")).isEqualTo("var");
    assertThat(row.get("c_char")).isEqualTo("ab  ");
    assertThat(row.get("c_date")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    long timeMicros = LocalTime.of(13, 14, 15, 654_321_000).toNanoOfDay() / 1000;
    assertThat(row.get("c_time")).isEqualTo(snapshot ? timeMicros - 321 : timeMicros);
    assertThat(row.get("c_timestamp")).isEqualTo(LOCAL_MICROS);
    assertThat(row.get("c_ts3")).isEqualTo(LOCAL_MICROS - 456);
    assertThat(row.get("c_timestamptz")).isEqualTo(LOCAL_MICROS);
    assertThat(row.get("c_uuid")).isEqualTo("5f1b8c2e-1d7a-4a53-9f6e-0c2b4a9d8e71");
    assertThat(row.get("c_json")).isEqualTo("{\"a\": [1, 2]}");
    assertThat(row.get("c_jsonb")).isEqualTo("{\"b\": true}");
    assertThat(row.get("c_bytea")).isEqualTo(new byte[] {0, (byte) 0xff, 0x10});
    assertThat(row.get("c_required")).isEqualTo("x");
  }

  private static String connectUrl() {
    return PostgresConnectionSettings.jdbcUrl("127.0.0.1", pg.getPort(), DB);
  }

  private static long slotsNamed(String slot) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '" + slot + "%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static JobID submit(PostgresSource source, List<TableSchema> tables) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    // Flink CDC starts the log phase only after a checkpoint completes once the snapshot is done
    env.enableCheckpointing(1000);
    DataStream<ChangeEvent> stream = source.createStream(env, tables);
    stream.addSink(new CollectingSink()).name("collect").setParallelism(1);
    JobGraph graph = env.getStreamGraph().getJobGraph();
    return flink.submitJob(graph).get(30, TimeUnit.SECONDS).getJobID();
  }

  private static void cancel(JobID job) throws Exception {
    if (!flink.requestJobResult(job).isDone()) {
      try {
        flink.cancelJob(job).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // the job finished by itself in the meantime (a snapshot-mode job)
      }
    }
    flink.requestJobResult(job).get(60, TimeUnit.SECONDS);
  }

  /** Waits until {@code count} events match, then returns them in arrival order. */
  private static List<ChangeEvent> await(Predicate<ChangeEvent> filter, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<ChangeEvent> matched = List.of();
    while (System.nanoTime() < deadline) {
      matched = EVENTS.stream().filter(filter).collect(Collectors.toList());
      if (matched.size() >= count) {
        Thread.sleep(300); // let stray extra events arrive, so that the count check is meaningful
        matched = EVENTS.stream().filter(filter).collect(Collectors.toList());
        assertThat(matched).hasSize(count);
        return matched;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("expected " + count + " events within " + WAIT + ", got " + matched);
  }

  /** Adds every event to {@link #EVENTS}. */
  private static final class CollectingSink implements SinkFunction<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void invoke(ChangeEvent value, Context context) {
      EVENTS.add(value);
    }
  }
}
