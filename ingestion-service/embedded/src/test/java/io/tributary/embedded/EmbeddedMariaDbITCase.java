package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts MariaDB once for the class and proves it is ready for change data capture: row-based binary log, a CDC
 * account that can read it (with the binlog client Flink CDC uses), loopback-only sockets; then that {@code
 * close()} and a killed JVM leave nothing running, and that later starts reuse the unpacked binaries.
 */
class EmbeddedMariaDbITCase {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDbITCase.class);
  private static final String CDC_USER = "tributary_cdc";
  private static final String CDC_PASSWORD = "cdc-s3cret'\\";

  private static EmbeddedMariaDb mariaDb;

  @BeforeAll
  static void startServer() {
    Path marker = MariaDbDistribution.completeMarker(
        ApicurioDistribution.cacheRoot().resolve("mariadb-" + MariaDbDistribution.VERSION));
    boolean unpacked = Files.isRegularFile(marker);
    long t0 = System.nanoTime();
    mariaDb = EmbeddedMariaDb.start();
    LOG.info("first start: {} ms ({})", (System.nanoTime() - t0) / 1_000_000,
        unpacked ? "binaries already unpacked" : "binaries unpacked by this start");
    mariaDb.createCdcUser(CDC_USER, CDC_PASSWORD);
  }

  @AfterAll
  static void stopServer() {
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void serverIsConfiguredForRowBasedBinlogOnLoopbackOnly() throws Exception {
    try (Connection c = mariaDb.connect(null)) {
      Map<String, String> vars = variables(c, "log_bin", "binlog_format", "binlog_row_image", "server_id",
          "bind_address", "character_set_server", "collation_server", "skip_name_resolve", "port");
      assertThat(vars).containsEntry("log_bin", "1")
          .containsEntry("binlog_format", "ROW")
          .containsEntry("binlog_row_image", "FULL")
          .containsEntry("server_id", "1")
          .containsEntry("bind_address", "127.0.0.1")
          .containsEntry("character_set_server", "utf8mb4")
          .containsEntry("collation_server", "utf8mb4_general_ci")
          .containsEntry("skip_name_resolve", "1")
          .containsEntry("port", Integer.toString(mariaDb.port()));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mysql.user WHERE user = ''")) {
        rs.next();
        assertThat(rs.getInt(1)).as("anonymous accounts").isZero();
      }
    }
    assertThat(mariaDb.version()).startsWith("10.11.").contains("MariaDB");
    assertThat(ListeningSockets.of(mariaDb.pid()))
        .contains("127.0.0.1:" + mariaDb.port())
        .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
    LOG.info("mariadbd (pid {}) resident memory: {}", mariaDb.pid(), residentMemory(mariaDb.pid()));
  }

  @Test
  void jdbcUrlAndRootAccount() throws SQLException {
    String options = "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    assertThat(mariaDb.jdbcUrl("shop")).isEqualTo("jdbc:mysql://127.0.0.1:" + mariaDb.port() + "/shop" + options);
    assertThat(mariaDb.jdbcUrl(null)).isEqualTo("jdbc:mysql://127.0.0.1:" + mariaDb.port() + "/" + options);
    assertThat(mariaDb.jdbcUrl("")).isEqualTo(mariaDb.jdbcUrl(null));
    assertThatThrownBy(() -> mariaDb.jdbcUrl("shop?x=1")).isInstanceOf(IllegalArgumentException.class);

    try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(null), mariaDb.rootUser(), mariaDb.rootPassword());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("root@127.0.0.1");
    }
    assertThatThrownBy(() -> DriverManager.getConnection(mariaDb.jdbcUrl(null), "root", "wrong"))
        .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");

    assertThatThrownBy(() -> mariaDb.execute(null, "SELECT 1", "SELEKT 2"))
        .isInstanceOf(EmbeddedServiceException.class)
        .hasMessageContaining("SELEKT 2")
        .hasMessageContaining(mariaDb.jdbcUrl(null));
  }

  @Test
  void rowChangesReachTheBinaryLog() throws SQLException {
    mariaDb.createDatabase("shop");
    mariaDb.createDatabase("shop"); // idempotent
    mariaDb.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40), total DECIMAL(10,2))");
    try (Connection c = mariaDb.connect("shop"); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA "
          + "WHERE SCHEMA_NAME = 'shop'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("utf8mb4");
      }
      BinlogPosition before = masterStatus(c);
      s.execute("INSERT INTO orders VALUES (1, 'caf\u00e9 \uD83D\uDE00', 9.99)");
      BinlogPosition after = masterStatus(c);
      assertThat(after.file()).startsWith("mariadb-bin.");
      assertThat(after.position()).isGreaterThan(before.position()).isPositive();

      List<String> logs = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
        while (rs.next()) {
          assertThat(rs.getLong("File_size")).isPositive();
          logs.add(rs.getString("Log_name"));
        }
      }
      assertThat(logs).contains(after.file());

      List<String> eventTypes = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(
          "SHOW BINLOG EVENTS IN '" + after.file() + "' FROM " + before.position())) {
        while (rs.next()) {
          eventTypes.add(rs.getString("Event_type"));
        }
      }
      assertThat(eventTypes).as("a row-based insert").contains("Table_map", "Write_rows_v1");

      try (ResultSet rs = s.executeQuery("SELECT item FROM orders WHERE id = 1")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("caf\u00e9 \uD83D\uDE00");
      }
    }
  }

  @Test
  void cdcUserHasReplicationPrivilegesOnly() throws SQLException {
    mariaDb.createDatabase("cdc_check");
    mariaDb.execute("cdc_check", "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
    try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl("cdc_check"), CDC_USER, CDC_PASSWORD);
        Statement s = c.createStatement()) {
      BinlogPosition status = masterStatus(c);
      assertThat(status.position()).isPositive();
      try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
        assertThat(rs.next()).isTrue();
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM t")) {
        assertThat(rs.next()).isTrue();
      }
      s.execute("FLUSH TABLES WITH READ LOCK");
      s.execute("UNLOCK TABLES");
      s.execute("LOCK TABLES t READ");
      s.execute("UNLOCK TABLES");
      List<String> databases = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW DATABASES")) {
        while (rs.next()) {
          databases.add(rs.getString(1));
        }
      }
      assertThat(databases).contains("cdc_check", "mysql");
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("denied");
      assertThatThrownBy(() -> s.execute("CREATE DATABASE not_allowed")).isInstanceOf(SQLException.class)
          .hasMessageContaining("denied");
    }
    try (Connection c = mariaDb.connect(null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GRANTS FOR '" + CDC_USER + "'@'localhost'")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith(
          "GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.*");
    }
    assertThatThrownBy(() -> DriverManager.getConnection(mariaDb.jdbcUrl(null), CDC_USER, "wrong"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> mariaDb.createCdcUser("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cdcUserStreamsRowEventsWithFlinkCdcsBinlogClient() throws Exception {
    mariaDb.createDatabase("stream");
    mariaDb.execute("stream", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
    BinlogPosition start;
    try (Connection c = mariaDb.connect(null)) {
      start = masterStatus(c);
    }
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    BinaryLogClient client = new BinaryLogClient(EmbeddedMariaDb.HOST, mariaDb.port(), CDC_USER, CDC_PASSWORD);
    client.setServerId(5401);
    client.setSSLMode(SSLMode.DISABLED);
    client.setKeepAlive(false);
    client.setBinlogFilename(start.file());
    client.setBinlogPosition(start.position());
    client.registerEventListener(events::add);
    client.connect(30_000);
    try {
      assertThat(client.getMariaDB()).isTrue();
      mariaDb.execute("stream", "INSERT INTO items VALUES (42, 'answer')");
      TableMapEventData table = null;
      WriteRowsEventData rows = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (rows == null && System.nanoTime() < deadline) {
        Event event = events.poll(500, TimeUnit.MILLISECONDS);
        if (event == null) {
          continue;
        }
        if (event.getData() instanceof TableMapEventData) {
          table = event.getData();
        } else if (event.getData() instanceof WriteRowsEventData) {
          rows = event.getData();
        }
      }
      assertThat(rows).as("a WRITE_ROWS event within 30 s").isNotNull();
      assertThat(table).isNotNull();
      assertThat(table.getDatabase()).isEqualTo("stream");
      assertThat(table.getTable()).isEqualTo("items");
      assertThat(rows.getRows()).hasSize(1);
      Serializable[] row = rows.getRows().get(0);
      assertThat(row[0]).isEqualTo(42);
      Object name = row[1] instanceof byte[] ? new String((byte[]) row[1], "UTF-8") : row[1];
      assertThat(name).isEqualTo("answer");
    } finally {
      client.disconnect();
    }
  }

  @Test
  void closeStopsTheServerAndLaterStartsReuseTheBinaries() throws Exception {
    Path marker = MariaDbDistribution.completeMarker(MariaDbDistribution.baseDir());
    FileTime unpackedAt = Files.getLastModifiedTime(marker);
    long t0 = System.nanoTime();
    EmbeddedMariaDb second = EmbeddedMariaDb.start();
    long warmStartMs = (System.nanoTime() - t0) / 1_000_000;
    long pid = second.pid();
    Path workDir = second.workDirectory();
    try {
      LOG.info("warm start (binaries reused): {} ms; resident memory of mariadbd: {}", warmStartMs,
          residentMemory(pid));
      assertThat(Files.getLastModifiedTime(marker)).as("binaries not unpacked again").isEqualTo(unpackedAt);
      assertThat(second.port()).isNotEqualTo(mariaDb.port());
      assertThat(second.version()).startsWith("10.11.");
      assertThat(workDir.resolve("data").resolve("mysql")).isDirectory();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    } finally {
      long t1 = System.nanoTime();
      second.close();
      LOG.info("close: {} ms", (System.nanoTime() - t1) / 1_000_000);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("mariadbd alive").isFalse();
    assertRefused(second.port());
    assertThat(workDir).doesNotExist();
    second.close(); // idempotent
    assertThat(mariaDb.version()).as("the class's server is untouched").startsWith("10.11.");
  }

  @Test
  void killedJvmLeavesNoServerBehind() throws Exception {
    Path childDir = Files.createTempDirectory("tributary-mariadb-it-");
    List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Paths::get).collect(Collectors.toList());
    ChildProcess child = ChildProcess.builder("mariadb-owner", childDir)
        .java(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), classpath, ServerOwnerMain.class.getName(), List.of())
        .start();
    long serverPid = -1;
    try {
      String[] ready = new String[1];
      child.awaitReady("MariaDB in a child JVM", Duration.ofSeconds(180), () -> {
        Optional<String> line = Files.readAllLines(child.logFile()).stream()
            .filter(l -> l.startsWith(ServerOwnerMain.READY)).findFirst();
        line.ifPresent(l -> ready[0] = l);
        return line.isPresent();
      });
      String[] fields = ready[0].split(" ");
      int port = Integer.parseInt(fields[1]);
      serverPid = Long.parseLong(fields[2]);
      Path workDir = Paths.get(fields[3]);
      assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).contains(true);

      child.process().toHandle().destroyForcibly(); // SIGKILL: no shutdown hooks run
      long t0 = System.nanoTime();
      Optional<ProcessHandle> server = ProcessHandle.of(serverPid);
      if (server.isPresent()) {
        server.get().onExit().get(60, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Files.exists(workDir) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      LOG.info("after SIGKILL of its JVM, mariadbd stopped and its files were gone in {} ms",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(workDir).doesNotExist();
      assertRefused(port);
    } finally {
      child.close();
      if (serverPid > 0) {
        ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
      }
      TempDirs.deleteQuietly(childDir);
    }
  }

  /** Run in a child JVM by {@link #killedJvmLeavesNoServerBehind()}: starts MariaDB, reports it, waits. */
  public static final class ServerOwnerMain {
    static final String READY = "MARIADB-READY";

    private ServerOwnerMain() {}

    /**
     * @param args none
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
      EmbeddedMariaDb server = EmbeddedMariaDb.start();
      System.out.println(READY + " " + server.port() + " " + server.pid() + " " + server.workDirectory());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private record BinlogPosition(String file, long position) {}

  private static BinlogPosition masterStatus(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      assertThat(rs.next()).as("SHOW MASTER STATUS returns a row").isTrue();
      return new BinlogPosition(rs.getString("File"), rs.getLong("Position"));
    }
  }

  private static Map<String, String> variables(Connection c, String... names) throws SQLException {
    Map<String, String> values = new HashMap<>();
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        try (ResultSet rs = s.executeQuery("SELECT @@global." + name)) {
          rs.next();
          values.put(name, rs.getString(1));
        }
      }
    }
    return values;
  }

  private static void assertRefused(int port) {
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(EmbeddedMariaDb.HOST, port), 2_000);
      }
    }).as("port %s accepts connections", port).isInstanceOf(ConnectException.class);
  }

  /** @return VmRSS from /proc/[pid]/status, e.g. "98304 kB" */
  private static String residentMemory(long pid) throws IOException {
    return Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
  }
}
