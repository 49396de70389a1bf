package io.tributary.peer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts and controls the Debezium peer ({@code io.tributary.peer.DebeziumPeer}) in a child JVM. Needs only the JDK,
 * so consumers depend on this artifact with every transitive dependency excluded: the child runs on the runtime
 * classpath recorded when this module was built ({@code io/tributary/peer/classpath.txt}, absolute paths into the
 * local Maven repository), the Apicurio 3.0.9 converter jars named in {@code io/tributary/peer/apicurio.classpath},
 * and this module's own jar or classes directory, with {@value #HEAP}. Debezium never loads in the caller's JVM (where
 * Tributary's shaded Flink CDC jars may be: STACK.md pitfall 4).
 *
 * <p>The work directory ({@link DebeziumPeerConfig#WORK_DIR}) receives the configuration file {@value #CONFIG_FILE}
 * (owner-readable only: it holds the database password), the child's stderr in {@value #LOG_FILE} (appended across
 * restarts) and Debezium's offsets file. Start the peer again with the same work directory to resume from its
 * offsets. Events the child prints ({@link PeerEvent}) are collected by a reader thread and kept for the process's
 * lifetime.
 *
 * <p>The child stops cleanly on a {@code stop} line on its stdin ({@link #stop}), on SIGTERM ({@link #terminate}), and
 * also when its stdin reaches end of file, so a child whose parent JVM died does not keep running.
 *
 * <p>Not thread-safe for concurrent {@link #stop}/{@link #terminate} calls; the query methods may be called from any
 * thread.
 */
public final class DebeziumPeerProcess implements AutoCloseable {
  /** The child's heap limit. */
  public static final String HEAP = "-Xmx1g";
  /** The child's main class. */
  public static final String MAIN_CLASS = "io.tributary.peer.DebeziumPeer";
  /** The configuration file in the work directory. */
  public static final String CONFIG_FILE = "peer.properties";
  /** The child's stderr (its log) in the work directory. */
  public static final String LOG_FILE = "peer.log";
  /** How long {@link #close()} waits for a clean stop before killing the child: 60 s. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger(DebeziumPeerProcess.class.getName());
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);

  private final Process process;
  private final Path workDir;
  private final Path logFile;
  private final Thread reader;
  private final List<PeerEvent> events = new ArrayList<>();
  private final List<String> otherLines = new ArrayList<>();
  private boolean readerDone;

  private DebeziumPeerProcess(Process process, Path workDir, Path logFile) {
    this.process = process;
    this.workDir = workDir;
    this.logFile = logFile;
    this.reader = new Thread(this::readStdout, "debezium-peer-stdout-" + process.pid());
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /**
   * Starts the peer with the default JVM options.
   *
   * @param config what to read and where to write
   * @return the running process (the peer may still be starting: wait for {@code started} or later events)
   * @throws UncheckedIOException if the work directory, configuration file or process cannot be created
   * @throws IllegalStateException if the recorded classpath is missing (build this module with Maven)
   */
  public static DebeziumPeerProcess start(DebeziumPeerConfig config) {
    return start(config, List.of());
  }

  /**
   * Starts the peer.
   *
   * @param config what to read and where to write
   * @param jvmOptions extra JVM options for the child, after {@value #HEAP} (so {@code -Xmx} here wins); may be empty
   * @return the running process
   * @throws UncheckedIOException if the work directory, configuration file or process cannot be created
   * @throws IllegalStateException if the recorded classpath is missing (build this module with Maven)
   */
  public static DebeziumPeerProcess start(DebeziumPeerConfig config, List<String> jvmOptions) {
    Path work = config.workDir();
    try {
      Files.createDirectories(work);
      Path configFile = work.resolve(CONFIG_FILE);
      config.write(configFile);
      Path log = work.resolve(LOG_FILE);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add(HEAP);
      cmd.addAll(jvmOptions);
      cmd.add("-Djava.io.tmpdir=" + work);
      cmd.add("-cp");
      cmd.add(classpath());
      cmd.add(MAIN_CLASS);
      cmd.add("--config");
      cmd.add(configFile.toString());
      Process p =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      LOG.log(System.Logger.Level.INFO, "Debezium peer started: pid {0}, work directory {1}", p.pid(), work);
      return new DebeziumPeerProcess(p, work, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Debezium peer in " + work, e);
    }
  }

  /**
   * The child's classpath: this module's code location, the recorded runtime classpath, then the Apicurio jars.
   *
   * @return the classpath, entries separated by {@link File#pathSeparator}
   * @throws IllegalStateException if a recorded resource or an Apicurio jar is missing
   */
  static String classpath() {
    String self;
    try {
      self =
          Path.of(DebeziumPeerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the tributary-debezium-peer classes", e);
    }
    List<String> cp = new ArrayList<>();
    cp.add(self);
    cp.add(resource("classpath.txt").trim());
    for (String line : resource("apicurio.classpath").split("\\R")) {
      String jar = line.trim();
      if (jar.isEmpty()) {
        continue;
      }
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException(
            jar + " is missing: build tributary-debezium-peer with Maven (its dependency plugin puts the Apicurio"
                + " converter jars into the local repository)");
      }
      cp.add(jar);
    }
    return String.join(File.pathSeparator, cp);
  }

  private static String resource(String name) {
    try (InputStream in = DebeziumPeerProcess.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "io/tributary/peer/" + name + " is missing: build tributary-debezium-peer with Maven (it records the"
                + " child's classpath in generate-resources)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/tributary/peer/" + name, e);
    }
  }

  private void readStdout() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        PeerEvent e;
        try {
          e = PeerEvent.parse(line);
        } catch (IllegalArgumentException notAnEvent) {
          LOG.log(System.Logger.Level.WARNING, "Debezium peer printed a non-protocol line: {0}", line);
          synchronized (this) {
            otherLines.add(line);
          }
          continue;
        }
        synchronized (this) {
          events.add(e);
          notifyAll();
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "Debezium peer stdout closed: {0}", e.toString());
    } finally {
      synchronized (this) {
        readerDone = true;
        notifyAll();
      }
    }
  }

  /** @return the child's process id */
  public long pid() {
    return process.pid();
  }

  /** @return the work directory */
  public Path workDir() {
    return workDir;
  }

  /** @return the child's log (its stderr) */
  public Path logFile() {
    return logFile;
  }

  /** @return whether the child runs */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return every event received so far, in order; a copy */
  public synchronized List<PeerEvent> events() {
    return List.copyOf(events);
  }

  /**
   * @param name an event name
   * @return the latest event with that name received so far, or empty
   */
  public synchronized Optional<PeerEvent> latestEvent(String name) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).name().equals(name)) {
        return Optional.of(events.get(i));
      }
    }
    return Optional.empty();
  }

  /** @return the latest {@code progress} event (fields {@code records}, {@code acked}, ...), or empty */
  public Optional<PeerEvent> latestProgress() {
    return latestEvent("progress");
  }

  /**
   * Waits for the first event named {@code name} (returning at once if it already arrived).
   *
   * @param name the event name, for example {@code snapshot-complete}
   * @param timeout how long to wait
   * @return the event
   * @throws IllegalStateException if the timeout passes, the child exits first, or it reports {@code failed} while
   *     another event is awaited; the message holds the end of the child's log
   */
  public PeerEvent waitForEvent(String name, Duration timeout) {
    return waitFor(e -> e.name().equals(name), "event '" + name + "'", !name.equals("failed") && !name.equals("stopped"), timeout);
  }

  /**
   * Waits until the peer reports (in {@code progress} or {@code stopped}) at least {@code count} records acked by Kafka.
   *
   * @param count the number of acked records to reach
   * @param timeout how long to wait
   * @return the first event reporting it
   * @throws IllegalStateException as {@link #waitForEvent}
   */
  public PeerEvent waitForAcked(long count, Duration timeout) {
    return waitFor(
        e -> (e.name().equals("progress") || e.name().equals("stopped")) && e.getLong("acked", -1) >= count,
        count + " acked records",
        true,
        timeout);
  }

  private synchronized PeerEvent waitFor(
      Predicate<PeerEvent> match, String what, boolean failOnFailed, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      for (; seen < events.size(); seen++) {
        PeerEvent e = events.get(seen);
        if (match.test(e)) {
          return e;
        }
        if (failOnFailed && e.name().equals("failed")) {
          throw new IllegalStateException(
              "the Debezium peer failed while waiting for " + what + ": " + e.getString("message") + "; log ends with:\n"
                  + tail());
        }
      }
      if (readerDone) {
        throw new IllegalStateException(
            "the Debezium peer exited (code " + exitCodeOrUnknown() + ") before " + what + "; log ends with:\n" + tail());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "no " + what + " from the Debezium peer within " + timeout.toMillis() + " ms; log ends with:\n" + tail());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private String exitCodeOrUnknown() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * Stops the peer cleanly: sends {@code stop} on its stdin, so it finishes the batch in progress, commits offsets
   * and prints {@code stopped}; after {@code timeout} it gets SIGTERM, and 10 s later it is killed.
   *
   * @param timeout how long a clean stop may take
   * @return the child's exit code (0 after a clean stop)
   */
  public int stop(Duration timeout) {
    if (process.isAlive()) {
      try {
        OutputStream in = process.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "Debezium peer stdin closed: {0}", e.toString());
      }
    }
    return awaitExit(timeout, true);
  }

  /**
   * Stops the peer with SIGTERM (its shutdown hook stops it as cleanly as {@link #stop}); after {@code timeout} it is
   * killed.
   *
   * @param timeout how long a clean stop may take
   * @return the child's exit code (143 after SIGTERM on Linux, even when the stop was clean)
   */
  public int terminate(Duration timeout) {
    // ProcessHandle.destroy sends SIGTERM without closing our end of the pipes (Process.destroy closes them, and the
    // child's last events would be lost)
    process.toHandle().destroy();
    return awaitExit(timeout, false);
  }

  private int awaitExit(Duration timeout, boolean sigtermFirst) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        if (sigtermFirst) {
          LOG.log(System.Logger.Level.WARNING, "Debezium peer {0} did not stop within {1} ms: SIGTERM", pid(), timeout.toMillis());
          process.toHandle().destroy();
        }
        if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.log(System.Logger.Level.WARNING, "Debezium peer {0} still runs: killing it", pid());
          process.destroyForcibly();
          process.waitFor();
        }
      }
      reader.join(KILL_GRACE.toMillis());
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the Debezium peer " + pid(), e);
    }
  }

  /** Stops the peer with {@link #stop} and {@link #DEFAULT_STOP_TIMEOUT} if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      stop(DEFAULT_STOP_TIMEOUT);
    }
  }

  /** @return the last 60 lines of the child's log, and any non-protocol stdout lines */
  public String tail() {
    StringBuilder b = new StringBuilder();
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      b.append(String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size())));
    } catch (IOException | UncheckedIOException e) {
      b.append("(log unreadable: ").append(e).append(')');
    }
    synchronized (this) {
      if (!otherLines.isEmpty()) {
        b.append("\nnon-protocol stdout lines:\n").append(String.join("\n", otherLines));
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "DebeziumPeerProcess[pid " + pid() + ", " + workDir + "]";
  }
}
