package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigProblem;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.embedded.EmbeddedMariaDb;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.sql.SQLException;
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
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cdc.connectors.mysql.source.utils.hooks.SnapshotPhaseHooks;
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
 * Runs the source against a real MariaDB 10.11 ({@link EmbeddedMariaDb}: binlog ROW/FULL, server id 1) and a Flink
 * MiniCluster in this JVM: discovery and its problems, snapshot rows with exact values per type, then inserts,
 * updates and deletes from the binlog with source metadata and strictly increasing orderings, zero dates, excluded
 * and newly created tables, and a snapshot-only run that finishes by itself. Both shaded CDC jars (MySQL and
 * PostgreSQL) are on this classpath, as in the runtime.
 */
class MySqlSourceITCase {
  private static final String DB = "shop";
  /** A least-privilege CDC user: SELECT, REPLICATION SLAVE, BINLOG MONITOR; no RELOAD, no LOCK TABLES. */
  private static final String USER = "cdc_min";
  private static final String PASSWORD = "cdc-min-secret";
  private static final int PARALLELISM = 2;
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** Events from the running job; the sink runs in this JVM. */
  private static final Queue<ChangeEvent> EVENTS = new ConcurrentLinkedQueue<>();

  private static EmbeddedMariaDb mariaDb;
  private static MiniCluster flink;

  private static final LocalDateTime LOCAL = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
  private static final long LOCAL_MICROS = LOCAL.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456L;

  @BeforeAll
  static void start() throws Exception {
    mariaDb = EmbeddedMariaDb.start();
    mariaDb.createDatabase(DB);
    mariaDb.execute(
        DB,
        "SET SESSION time_zone = '+00:00'",
        "SET SESSION sql_mode = ''",
        "CREATE TABLE all_types ("
            + " id BIGINT PRIMARY KEY, c_bool TINYINT(1), c_bit1 BIT(1), c_bits BIT(10),"
            + " c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED,"
            + " c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED,"
            + " c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_decimal DECIMAL(12,3), c_float FLOAT, c_double DOUBLE,"
            + " c_char CHAR(4), c_varchar VARCHAR(20), c_text TEXT, c_longtext LONGTEXT,"
            + " c_enum ENUM('small','large'), c_set SET('a','b','c'),"
            + " c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6), c_timestamp3 TIMESTAMP(3) NULL,"
            + " c_time TIME, c_time6 TIME(6), c_year YEAR, c_json JSON,"
            + " c_binary BINARY(4), c_varbinary VARBINARY(8), c_blob BLOB,"
            + " c_required VARCHAR(10) NOT NULL DEFAULT 'x')",
        "CREATE TABLE composite (region VARCHAR(8), id INT, v VARCHAR(20), PRIMARY KEY (region, id))",
        "CREATE TABLE odd_values (id INT PRIMARY KEY, d DATE NOT NULL, dt DATETIME(6) NOT NULL,"
            + " ts TIMESTAMP NULL, dn DATE NULL, t TIME, flag TINYINT(1))",
        "CREATE TABLE skip_me (id INT PRIMARY KEY)",
        "CREATE TABLE backfill (id INT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO backfill VALUES (1, 'before')",
        "CREATE TABLE no_pk (x INT)",
        "CREATE TABLE geo (id INT PRIMARY KEY, p POINT)",
        insertAllTypes(1),
        insertAllTypes(2),
        "INSERT INTO all_types (id) VALUES (3)",
        "INSERT INTO composite VALUES ('eu', 1, 'a'), ('us', 1, 'b'), ('eu', 2, 'c')",
        "INSERT INTO odd_values VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
            + " '0000-00-00', '-01:00:00', 2)",
        "INSERT INTO odd_values VALUES (2, '2024-02-29', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05',"
            + " '2024-03-01', '23:59:59', 0)",
        "INSERT INTO skip_me VALUES (1)");
    mariaDb.execute(
        null,
        "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
        "GRANT SELECT, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + USER + "'@'127.0.0.1'",
        "CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY 'reader-pw'",
        "GRANT SELECT ON `shop`.* TO 'reader'@'127.0.0.1'",
        "CREATE USER 'partial'@'127.0.0.1' IDENTIFIED BY 'partial-pw'",
        "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'partial'@'127.0.0.1'",
        "GRANT SELECT ON `shop`.`composite` TO 'partial'@'127.0.0.1'",
        "GRANT INSERT ON `shop`.`skip_me` TO 'partial'@'127.0.0.1'");

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
      if (mariaDb != null) {
        mariaDb.close();
      }
    }
  }

  private static String insertAllTypes(long id) {
    return "INSERT INTO all_types (id, c_bool, c_bit1, c_bits, c_tinyint, c_tinyint_u, c_smallint, c_smallint_u,"
        + " c_mediumint, c_mediumint_u, c_int, c_int_u, c_bigint, c_bigint_u, c_decimal, c_float, c_double, c_char,"
        + " c_varchar, c_text, c_longtext, c_enum, c_set, c_date, c_datetime, c_datetime6, c_timestamp3, c_time,"
        + " c_time6, c_year, c_json, c_binary, c_varbinary, c_blob, c_required) VALUES (" + id + ", 1, b'1',"
        + " b'1000000001', -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,"
        + " -9223372036854775808, 18446744073709551615, 12345.678, 1.5, 2.718281828459045, 'ab', 'var', 'héllo',"
        + " 'long text', 'large', 'a,c', '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.123456',"
        + " '2024-01-02 03:04:05.123', '13:14:15', '13:14:15.654321', 2024, '{\"a\": [1, 2]}', x'00ff', x'0102',"
        + " x'cafe', 'req')";
  }

  private static MySqlSource source(String pipeline, String user, String password, Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", EmbeddedMariaDb.HOST);
    m.put("port", Integer.toString(mariaDb.port()));
    m.put("username", user);
    m.put("password", password);
    m.put("scan.snapshot.chunk.size", "2");
    m.put("heartbeat.interval", "1s");
    m.putAll(extra);
    return (MySqlSource)
        new MySqlSourceFactory().createSource(MySqlSourceFactoryTest.context(pipeline, PARALLELISM, m));
  }

  private static MySqlSource source(String pipeline, Map<String, String> extra) {
    return source(pipeline, USER, PASSWORD, extra);
  }

  @Test
  void discoverMapsEveryColumnOfTheMatchedTables() throws Exception {
    MySqlSource source =
        source("discover", Map.of("tables", "shop.all_types,shop\\.(comp.*|odd_values|skip_me)",
            "tables.exclude", "shop\\.skip_me"));
    SourceDiscovery d = source.discover();

    assertThat(d.problems()).isEmpty();
    assertThat(d.tables().stream().map(t -> t.tableId().toString()))
        .containsExactly("shop.all_types", "shop.composite", "shop.odd_values");
    TableSchema all = d.tables().get(0);
    assertThat(all.primaryKey()).containsExactly("id");
    Map<String, ColumnKind> kinds =
        all.columns().stream().collect(Collectors.toMap(Column::name, Column::kind, (a, b) -> a, LinkedHashMap::new));
    assertThat(kinds)
        .containsExactly(
            Map.entry("id", ColumnKind.INT64),
            Map.entry("c_bool", ColumnKind.BOOLEAN),
            Map.entry("c_bit1", ColumnKind.BOOLEAN),
            Map.entry("c_bits", ColumnKind.BYTES),
            Map.entry("c_tinyint", ColumnKind.INT32),
            Map.entry("c_tinyint_u", ColumnKind.INT32),
            Map.entry("c_smallint", ColumnKind.INT32),
            Map.entry("c_smallint_u", ColumnKind.INT32),
            Map.entry("c_mediumint", ColumnKind.INT32),
            Map.entry("c_mediumint_u", ColumnKind.INT32),
            Map.entry("c_int", ColumnKind.INT32),
            Map.entry("c_int_u", ColumnKind.INT64),
            Map.entry("c_bigint", ColumnKind.INT64),
            Map.entry("c_bigint_u", ColumnKind.DECIMAL),
            Map.entry("c_decimal", ColumnKind.DECIMAL),
            Map.entry("c_float", ColumnKind.FLOAT32),
            Map.entry("c_double", ColumnKind.FLOAT64),
            Map.entry("c_char", ColumnKind.STRING),
            Map.entry("c_varchar", ColumnKind.STRING),
            Map.entry("c_text", ColumnKind.STRING),
            Map.entry("c_longtext", ColumnKind.STRING),
            Map.entry("c_enum", ColumnKind.STRING),
            Map.entry("c_set", ColumnKind.STRING),
            Map.entry("c_date", ColumnKind.DATE),
            Map.entry("c_datetime", ColumnKind.TIMESTAMP_MICROS),
            Map.entry("c_datetime6", ColumnKind.TIMESTAMP_MICROS),
            Map.entry("c_timestamp3", ColumnKind.TIMESTAMP_TZ_MICROS),
            Map.entry("c_time", ColumnKind.TIME_MICROS),
            Map.entry("c_time6", ColumnKind.TIME_MICROS),
            Map.entry("c_year", ColumnKind.INT32),
            Map.entry("c_json", ColumnKind.JSON),
            Map.entry("c_binary", ColumnKind.BYTES),
            Map.entry("c_varbinary", ColumnKind.BYTES),
            Map.entry("c_blob", ColumnKind.BYTES),
            Map.entry("c_required", ColumnKind.STRING));
    Column decimal = all.column("c_decimal").orElseThrow();
    assertThat(decimal.precision()).isEqualTo(12);
    assertThat(decimal.scale()).isEqualTo(3);
    assertThat(decimal.sourceType()).isEqualTo("decimal(12,3)");
    Column unsignedBigint = all.column("c_bigint_u").orElseThrow();
    assertThat(unsignedBigint.precision()).isEqualTo(20);
    assertThat(unsignedBigint.scale()).isZero();
    assertThat(all.column("c_json").orElseThrow().sourceType()).isEqualTo("json");
    assertThat(all.column("id").orElseThrow().nullable()).isFalse();
    assertThat(all.column("c_required").orElseThrow().nullable()).isFalse();
    assertThat(all.column("c_text").orElseThrow().nullable()).isTrue();
    assertThat(d.tables().get(1).primaryKey()).containsExactly("region", "id");
    assertThat(d.tables().get(1).tableId()).isEqualTo(new TableId(DB, null, "composite"));

    assertThat(d.estimatedRows())
        .containsEntry(all.tableId(), 3L)
        .containsEntry(new TableId(DB, null, "composite"), 3L)
        .containsEntry(new TableId(DB, null, "odd_values"), 2L);
    assertThat(d.warnings())
        .containsExactly(
            "user 'cdc_min' lacks the RELOAD privilege; Tributary's lock-free incremental snapshot does not need it "
                + "(it never runs FLUSH TABLES), but Debezium's documentation lists it");
  }

  @Test
  void discoverReportsEveryProblem() throws Exception {
    MySqlSource source =
        source("problems", Map.of("tables", "shop.no_pk,shop.geo,shop\\.nothing_.*,shop.missing,([",
            "tables.exclude", "(", "server-id", "1-2"));
    SourceDiscovery d = source.discover();

    assertThat(d.tables()).isEmpty();
    String noMatch = " matches no table visible to user 'cdc_min' (system databases excluded; a table the user has "
        + "no privilege on is not visible); write db.table, e.g. shop.orders, or a regular expression over db.table, "
        + "e.g. shop\\.order_items_.* or shop\\..*";
    assertThat(d.problems().stream().map(ConfigProblem::toString))
        .containsExactlyInAnyOrder(
            "source.tables (line 12): table shop.geo column p has type 'point', which Tributary does not map; "
                + "supported: " + MySqlTypeMapping.SUPPORTED,
            "source.tables (line 12): table shop.no_pk has no primary key; Tributary needs one (message keys, "
                + "record keys and snapshot chunks are derived from it): add one with ALTER TABLE `shop`.`no_pk` "
                + "ADD PRIMARY KEY (...)",
            "source.tables (line 12): 'shop\\.nothing_.*'" + noMatch,
            "source.tables (line 12): 'shop.missing'" + noMatch,
            "source.tables (line 12): '([' is neither a db.table name nor a valid regular expression: "
                + "Unclosed character class",
            "source.tables.exclude: '(' is not a valid regular expression: Unclosed group",
            "source.server-id (line 14): the server at 127.0.0.1:" + mariaDb.port() + " has server_id 1, inside "
                + "this source's binlog client ids 1-2; every binlog client needs an id of its own: choose another "
                + "server-id range");
  }

  @Test
  void discoverReportsMissingPrivileges() throws Exception {
    SourceDiscovery reader = source("reader", "reader", "reader-pw", Map.of("tables", "shop.composite")).discover();
    assertThat(reader.tables()).extracting(t -> t.tableId().toString()).containsExactly("shop.composite");
    assertThat(reader.problems().stream().map(ConfigProblem::toString))
        .containsExactly(
            "source.username (line 9): user 'reader' lacks the REPLICATION SLAVE privilege, needed to read the "
                + "binlog; grant it with GRANT REPLICATION SLAVE ON *.* TO ...",
            "source.username (line 9): user 'reader' lacks the BINLOG MONITOR privilege (MariaDB 10.5+'s name for "
                + "REPLICATION CLIENT), needed for SHOW MASTER STATUS and SHOW BINARY LOGS (binlog positions of "
                + "snapshot chunks); grant it with GRANT BINLOG MONITOR ON *.* TO ...");

    SourceDiscovery partial =
        source("partial", "partial", "partial-pw", Map.of("tables", "shop.composite,shop.skip_me")).discover();
    assertThat(partial.problems().stream().map(ConfigProblem::toString))
        .containsExactly(
            "source.username (line 9): user 'partial' has no SELECT privilege on table shop.skip_me, needed to "
                + "snapshot it; grant it with GRANT SELECT ON `shop`.`skip_me` TO ...");
  }

  @Test
  void connectionErrorsNameHostPortAndUserButNotThePassword() {
    MySqlSource wrongPassword = source("err", "cdc_min", "hunter2-secret", Map.of("tables", "shop.composite"));
    assertThatThrownBy(wrongPassword::discover)
        .isInstanceOf(SQLException.class)
        .hasMessageStartingWith("cannot connect to MySQL at 127.0.0.1:" + mariaDb.port() + ", user cdc_min: ")
        .hasMessageContaining("Access denied")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));

    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", "127.0.0.1");
    m.put("port", "1");
    m.put("username", "nobody");
    m.put("password", "hunter2-secret");
    m.put("tables", "shop.t");
    m.put("connect.timeout", "3s");
    MySqlSource unreachable =
        (MySqlSource) new MySqlSourceFactory().createSource(MySqlSourceFactoryTest.context("err", 1, m));
    assertThatThrownBy(unreachable::discover)
        .isInstanceOf(SQLException.class)
        .hasMessageStartingWith("cannot connect to MySQL at 127.0.0.1:1, user nobody: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
  }

  @Test
  void snapshotThenBinlogChanges() throws Exception {
    MySqlSource source =
        source("it-stream", Map.of("tables", "shop.all_types,shop\\.(comp.*|odd_values|skip_me)",
            "tables.exclude", "shop\\.skip_me"));
    SourceDiscovery d = source.discover();
    assertThat(d.problems()).isEmpty();
    assertThat(d.tables()).hasSize(3);
    EVENTS.clear();
    JobID job = submit(source, d.tables());
    try {
      List<ChangeEvent> snapshot = await(e -> e.op() == Op.READ, 3 + 3 + 2);
      Map<Object, ChangeEvent> byId =
          snapshot.stream()
              .filter(e -> e.tableId().table().equals("all_types"))
              .collect(Collectors.toMap(e -> e.after().get("id"), e -> e));
      assertThat(byId).containsOnlyKeys(1L, 2L, 3L);
      ChangeEvent r1 = byId.get(1L);
      assertThat(r1.before()).isNull();
      assertFullRow(r1.after(), 1L);
      assertThat(r1.source().snapshot()).isTrue();
      assertThat(r1.source().connector()).isEqualTo("mysql");
      assertThat(r1.source().name()).isEqualTo("it-stream");
      assertThat(r1.source().tsMs()).isZero();
      assertThat(r1.tableId()).isEqualTo(new TableId(DB, null, "all_types"));
      ChangeEvent r3 = byId.get(3L);
      assertThat(r3.after().get("c_text")).isNull();
      assertThat(r3.after().get("c_decimal")).isNull();
      assertThat(r3.after().get("c_bits")).isNull();
      assertThat(r3.after().get("c_required")).isEqualTo("x");
      assertThat(snapshot.stream().filter(e -> e.tableId().table().equals("composite"))
              .map(e -> e.after().get("region") + ":" + e.after().get("id") + ":" + e.after().get("v")))
          .containsExactlyInAnyOrder("eu:1:a", "us:1:b", "eu:2:c");

      // zero dates in a snapshot: NOT NULL date/datetime become InvalidValues; the nullable timestamp and date
      // arrive as NULL (Flink CDC hands Debezium NULL; nothing tells it from a real NULL)
      Map<String, Object> odd = snapshot.stream()
          .filter(e -> e.tableId().table().equals("odd_values") && e.after().get("id").equals(1))
          .findFirst().orElseThrow().after();
      assertZeroDate(odd.get("d"), "d (date, kind DATE)");
      assertZeroDate(odd.get("dt"), "dt (datetime(6), kind TIMESTAMP_MICROS)");
      assertThat(odd.get("ts")).isNull();
      assertThat(odd.get("dn")).isNull();
      assertThat(((InvalidValue) odd.get("t")).raw()).isEqualTo("-01:00:00.000000");
      assertThat(((InvalidValue) odd.get("flag")).reason()).contains("value 2 is not a boolean (0 or 1)");
      Map<String, Object> valid = snapshot.stream()
          .filter(e -> e.tableId().table().equals("odd_values") && e.after().get("id").equals(2))
          .findFirst().orElseThrow().after();
      assertThat(valid.get("d")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
      assertThat(valid.get("dt")).isEqualTo(LOCAL_MICROS);
      assertThat(valid.get("ts")).isEqualTo(LOCAL.withNano(0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L);
      assertThat(valid.get("t")).isEqualTo(LocalTime.of(23, 59, 59).toNanoOfDay() / 1000);
      assertThat(valid.get("flag")).isEqualTo(false);

      // plain snapshot rows carry no binlog position (ordering 0); back-filled ones the position of their change
      for (ChangeEvent e : snapshot) {
        if (e.source().binlogFile() == null) {
          assertThat(e.source().ordering()).isZero();
        } else {
          assertThat(e.source().ordering() >>> 44).isEqualTo(BinlogOrdering.fileSequence(e.source().binlogFile()));
          assertThat((e.source().ordering() >>> 12) & 0xFFFFFFFFL).isEqualTo(e.source().binlogPos());
        }
      }
      long maxSnapshotOrdering = snapshot.stream().mapToLong(e -> e.source().ordering()).max().orElseThrow();

      mariaDb.execute(DB, insertAllTypes(10));
      mariaDb.execute(DB, "UPDATE all_types SET c_text = 'changed', c_decimal = 0.5, c_int = 7 WHERE id = 1");
      mariaDb.execute(
          DB,
          "START TRANSACTION",
          "UPDATE all_types SET c_int = 1 WHERE id = 2",
          "UPDATE all_types SET c_int = 2 WHERE id = 2",
          "COMMIT");
      mariaDb.execute(DB, "DELETE FROM all_types WHERE id = 3");
      mariaDb.execute(DB, "UPDATE composite SET v = 'z' WHERE region = 'eu' AND id = 1");
      mariaDb.execute(DB, "INSERT INTO skip_me VALUES (2)");
      mariaDb.execute(
          DB,
          "SET SESSION sql_mode = ''",
          "INSERT INTO odd_values VALUES (3, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
              + " '0000-00-00', '838:59:59', 1)");

      List<ChangeEvent> log = await(e -> e.op() != Op.READ, 7);
      assertThat(log.stream().map(e -> e.tableId().table() + ":" + e.op().code()))
          .containsExactly(
              "all_types:c", "all_types:u", "all_types:u", "all_types:u", "all_types:d", "composite:u",
              "odd_values:c");

      ChangeEvent c = log.get(0);
      assertThat(c.before()).isNull();
      assertFullRow(c.after(), 10L);

      ChangeEvent u = log.get(1);
      assertFullRow(u.before(), 1L);
      assertThat(u.after().get("c_text")).isEqualTo("changed");
      assertThat(u.after().get("c_decimal")).isEqualTo(new BigDecimal("0.500"));
      assertThat(u.after().get("c_int")).isEqualTo(7);
      assertThat(u.after().get("c_bigint_u")).isEqualTo(new BigDecimal("18446744073709551615"));

      ChangeEvent first = log.get(2);
      ChangeEvent second = log.get(3);
      assertThat(first.before().get("c_int")).isEqualTo(-2147483648);
      assertThat(first.after().get("c_int")).isEqualTo(1);
      assertThat(second.before().get("c_int")).isEqualTo(1);
      assertThat(second.after().get("c_int")).isEqualTo(2);
      assertThat(second.source().ordering()).isGreaterThan(first.source().ordering());

      ChangeEvent del = log.get(4);
      assertThat(del.after()).isNull();
      assertThat(del.before().get("id")).isEqualTo(3L);
      assertThat(del.before().get("c_required")).isEqualTo("x");

      ChangeEvent comp = log.get(5);
      assertThat(comp.before().get("v")).isEqualTo("a");
      assertThat(comp.after()).containsEntry("region", "eu").containsEntry("id", 1).containsEntry("v", "z");

      // zero dates from the binlog: NOT NULL date/datetime and the nullable timestamp (stored as second 0) are
      // InvalidValues; the nullable date arrives as NULL
      Map<String, Object> zero = log.get(6).after();
      assertZeroDate(zero.get("d"), "d (date, kind DATE)");
      assertZeroDate(zero.get("dt"), "dt (datetime(6), kind TIMESTAMP_MICROS)");
      InvalidValue ts = (InvalidValue) zero.get("ts");
      assertThat(ts.reason()).startsWith("table shop.odd_values column ts (timestamp, kind TIMESTAMP_TZ_MICROS): "
          + "MySQL zero timestamp (0000-00-00 00:00:00)");
      assertThat(ts.raw()).isEqualTo("0000-00-00 00:00:00");
      assertThat(zero.get("dn")).isNull();
      assertThat(((InvalidValue) zero.get("t")).raw()).isEqualTo("838:59:59.000000");
      assertThat(zero.get("flag")).isEqualTo(true);

      for (ChangeEvent e : log) {
        assertThat(e.source().snapshot()).isFalse();
        assertThat(e.source().binlogFile()).startsWith("mariadb-bin.");
        assertThat(e.source().binlogPos()).isPositive();
        assertThat(e.source().serverId()).isEqualTo(1L);
        // Flink CDC 3.5 (Debezium 1.9) reads MariaDB's binlog without MariaDB GTIDs: no GTID in the source block
        assertThat(e.source().gtid()).isNull();
        assertThat(e.source().tsMs()).isGreaterThan(0L);
        assertThat(e.source().ordering()).isGreaterThan(maxSnapshotOrdering);
        assertThat(e.source().ordering() >>> 44).isEqualTo(BinlogOrdering.fileSequence(e.source().binlogFile()));
        assertThat((e.source().ordering() >>> 12) & 0xFFFFFFFFL).isEqualTo(e.source().binlogPos());
      }
      // in binlog order, every change's ordering is greater than the one before
      List<Long> orderings = log.stream().map(e -> e.source().ordering()).collect(Collectors.toList());
      assertThat(orderings).isSorted().doesNotHaveDuplicates();
      // changes of row 1 and row 2 in order, each after its snapshot row
      assertThat(u.source().ordering()).isGreaterThan(r1.source().ordering());
      assertThat(first.source().ordering()).isGreaterThan(byId.get(2L).source().ordering());

      // a table created while the job runs is not read by it (a restart picks it up), and the job keeps running
      mariaDb.execute(DB, "CREATE TABLE comp_new (id INT PRIMARY KEY, v VARCHAR(10))",
          "INSERT INTO comp_new VALUES (1, 'new')",
          "ALTER TABLE composite COMMENT 'still captured'",
          "UPDATE composite SET v = 'after' WHERE region = 'us' AND id = 1");
      List<ChangeEvent> more = await(e -> e.op() == Op.UPDATE && e.tableId().table().equals("composite"), 2);
      assertThat(more.get(1).after().get("v")).isEqualTo("after");
      assertThat(EVENTS).noneMatch(e -> e.tableId().table().equals("comp_new") || e.tableId().table().equals("skip_me"));
      assertThat(flink.getJobStatus(job).get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    } finally {
      cancel(job);
    }
  }

  @Test
  void snapshotRowMergedWithABinlogChangeCarriesThatChangesPosition() throws Exception {
    // root: the hook below writes through the source's own connection
    MySqlSource source =
        source("it-backfill", mariaDb.rootUser(), mariaDb.rootPassword(), Map.of("tables", "shop.backfill"));
    SourceDiscovery d = source.discover();
    assertThat(d.problems()).isEmpty();
    org.apache.flink.cdc.connectors.mysql.source.MySqlSource<ChangeEvent> cdc = source.cdcSource(d.tables());
    // a change between the chunk's low and high watermark: Flink CDC back-fills it into the snapshot row
    SnapshotPhaseHooks hooks = new SnapshotPhaseHooks();
    hooks.setPreHighWatermarkAction(
        (connection, split) -> {
          connection.execute("UPDATE shop.backfill SET v = 'during' WHERE id = 1");
          connection.commit();
        });
    cdc.setSnapshotHooks(hooks);
    EVENTS.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(1000);
    env.fromSource(cdc, WatermarkStrategy.noWatermarks(), MySqlSource.OPERATOR_NAME).addSink(new CollectingSink());
    JobID job = flink.submitJob(env.getStreamGraph().getJobGraph()).get(30, TimeUnit.SECONDS).getJobID();
    try {
      ChangeEvent r = await(e -> e.op() == Op.READ, 1).get(0);
      assertThat(r.after()).containsEntry("v", "during");
      assertThat(r.source().snapshot()).isTrue();
      assertThat(r.source().binlogFile()).startsWith("mariadb-bin.");
      assertThat(r.source().ordering()).isPositive();
      assertThat(r.source().ordering() >>> 44).isEqualTo(BinlogOrdering.fileSequence(r.source().binlogFile()));
      assertThat((r.source().ordering() >>> 12) & 0xFFFFFFFFL).isEqualTo(r.source().binlogPos());

      mariaDb.execute(DB, "UPDATE backfill SET v = 'after' WHERE id = 1");
      ChangeEvent u = await(e -> e.op() == Op.UPDATE, 1).get(0);
      assertThat(u.before()).containsEntry("v", "during");
      assertThat(u.after()).containsEntry("v", "after");
      assertThat(u.source().ordering()).isGreaterThan(r.source().ordering());
      assertThat(EVENTS).as("the back-filled change is not emitted a second time").hasSize(2);
    } finally {
      cancel(job);
    }
  }

  @Test
  void snapshotModeReadsOnceAndFinishes() throws Exception {
    MySqlSource source = source("it-snap", Map.of("tables", "shop.composite", "startup.mode", "snapshot"));
    SourceDiscovery d = source.discover();
    assertThat(d.problems()).isEmpty();
    EVENTS.clear();
    JobID job = submit(source, d.tables());
    try {
      JobResult result = flink.requestJobResult(job).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("job result %s", result.getSerializedThrowable()).isTrue();
      List<ChangeEvent> events = new ArrayList<>(EVENTS);
      assertThat(events).allSatisfy(e -> assertThat(e.op()).isEqualTo(Op.READ));
      assertThat(events.stream().map(e -> e.after().get("region") + ":" + e.after().get("id")))
          .containsExactlyInAnyOrder("eu:1", "us:1", "eu:2");
    } finally {
      cancel(job);
    }
  }

  private static void assertZeroDate(Object value, String column) {
    assertThat(value).isInstanceOf(InvalidValue.class);
    InvalidValue v = (InvalidValue) value;
    assertThat(v.reason())
        .startsWith("table shop.odd_values column " + column + ": MySQL zero date (0000-00-00, or a date with a zero "
            + "month or day)");
    assertThat(v.raw()).isNull();
  }

  /** Checks a row inserted by {@link #insertAllTypes}; snapshot and binlog give the same values. */
  private static void assertFullRow(Map<String, Object> row, long id) {
    assertThat(row.get("id")).isEqualTo(id);
    assertThat(row.get("c_bool")).isEqualTo(true);
    assertThat(row.get("c_bit1")).isEqualTo(true);
    // bit(10) b'1000000001' as Debezium's Bits: least significant byte first
    assertThat(row.get("c_bits")).isEqualTo(new byte[] {0x01, 0x02});
    assertThat(row.get("c_tinyint")).isEqualTo(-128);
    assertThat(row.get("c_tinyint_u")).isEqualTo(255);
    assertThat(row.get("c_smallint")).isEqualTo(-32768);
    assertThat(row.get("c_smallint_u")).isEqualTo(65535);
    assertThat(row.get("c_mediumint")).isEqualTo(-8388608);
    assertThat(row.get("c_mediumint_u")).isEqualTo(16777215);
    assertThat(row.get("c_int_u")).isEqualTo(4294967295L);
    assertThat(row.get("c_bigint")).isEqualTo(Long.MIN_VALUE);
    assertThat(row.get("c_bigint_u")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(row.get("c_decimal")).isEqualTo(new BigDecimal("12345.678"));
    assertThat(row.get("c_float")).isEqualTo(1.5f);
    assertThat(row.get("c_double")).isEqualTo(2.718281828459045d);
    assertThat(row.get("c_char")).isEqualTo("ab");
    assertThat(row.get("c_varchar")).isEqualTo("var");
    assertThat(row.get("c_longtext")).isEqualTo("long text");
    assertThat(row.get("c_enum")).isEqualTo("large");
    assertThat(row.get("c_set")).isEqualTo("a,c");
    assertThat(row.get("c_date")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    assertThat(row.get("c_datetime")).isEqualTo(LOCAL.withNano(0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L);
    assertThat(row.get("c_datetime6")).isEqualTo(LOCAL_MICROS);
    assertThat(row.get("c_timestamp3")).isEqualTo(LOCAL_MICROS - 456);
    assertThat(row.get("c_time")).isEqualTo(LocalTime.of(13, 14, 15).toNanoOfDay() / 1000);
    assertThat(row.get("c_time6")).isEqualTo(LocalTime.of(13, 14, 15, 654_321_000).toNanoOfDay() / 1000);
    assertThat(row.get("c_year")).isEqualTo(2024);
    assertThat(row.get("c_json")).isEqualTo("{\"a\": [1, 2]}");
    assertThat(row.get("c_binary")).isEqualTo(new byte[] {0, (byte) 0xff, 0, 0});
    assertThat(row.get("c_varbinary")).isEqualTo(new byte[] {1, 2});
    assertThat(row.get("c_blob")).isEqualTo(new byte[] {(byte) 0xca, (byte) 0xfe});
    assertThat(row.get("c_required")).isEqualTo("req");
    if (id != 1L || !"changed".equals(row.get("c_text"))) {
      assertThat(row.get("c_text")).isEqualTo("héllo");
    }
  }

  private static JobID submit(MySqlSource source, List<TableSchema> tables) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    // Flink CDC starts the binlog phase only after a checkpoint completes once the snapshot is done
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
