package io.tributary.embedded;

import io.tributary.embedded.internal.ParentWatchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by this JVM, with its standard output and error appended to a log file, that never outlives
 * its parent: {@link #close()} stops it and its descendants (SIGTERM, then SIGKILL after the stop timeout), a JVM
 * shutdown hook does the same when the parent JVM exits, and Java children started with {@link
 * Builder#java(List, String, List)} also exit by themselves when the parent dies without running its hooks
 * (their standard input is a pipe from this JVM, watched by {@link ParentWatchdog}).
 *
 * <p>Clean-up actions registered with {@link Builder#afterStop(Runnable)} run after the child stopped, on either
 * path.
 *
 * <p>Thread-safe. Typical use:
 *
 * <pre>{@code
 * ChildProcess p = ChildProcess.builder("kafka", workDir).java(jvmArgs, classpath, mainClass, args).start();
 * p.awaitReady("Kafka broker", Duration.ofSeconds(120), () -> portAnswers());
 * }</pre>
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  /** How long {@link #awaitReady} sleeps between two probes, in ms. */
  private static final long PROBE_INTERVAL_MS = 200L;

  /** Lines of the log quoted in an exception when a child fails to start. */
  static final int TAIL_LINES = 40;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final OutputStream stdin;
  private final Duration stopTimeout;
  private final Thread shutdownHook;
  private final List<Runnable> afterStop;
  private volatile boolean closed;

  private ChildProcess(String name, Process process, Path logFile, Duration stopTimeout, List<Runnable> afterStop) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.stdin = process.getOutputStream();
    this.stopTimeout = stopTimeout;
    this.afterStop = List.copyOf(afterStop);
    this.shutdownHook = new Thread(this::stop, "tributary-stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts describing a child process.
   *
   * @param name a short name used in thread names, log messages and the default log file name; not null
   * @param workDir the working directory of the child; it must exist; its {@code launcher/} subdirectory is used
   *     for the watchdog class of Java children
   * @return a new builder
   */
  public static Builder builder(String name, Path workDir) {
    return new Builder(name, workDir);
  }

  /** @return the short name given to the builder */
  public String name() {
    return name;
  }

  /** @return the operating system's process id of the child */
  public long pid() {
    return process.pid();
  }

  /** @return whether the child is still running */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return the underlying process (tests close its standard input to play a parent that died) */
  Process process() {
    return process;
  }

  /** @return the file that receives the child's standard output and standard error */
  public Path logFile() {
    return logFile;
  }

  /**
   * Reads the last lines of the child's log.
   *
   * @param lines how many lines at most, positive
   * @return the lines, oldest first; empty when the log is empty or unreadable
   */
  public List<String> tail(int lines) {
    return tail(logFile, lines);
  }

  /**
   * Waits until {@code probe} answers true, checking that the child is still alive between probes.
   *
   * @param what what is being started, for messages (e.g. "Kafka broker")
   * @param timeout how long to wait at most
   * @param probe answers whether the service is ready; an exception counts as "not yet"
   * @throws EmbeddedServiceException when the child exits or the timeout passes first; the message quotes the
   *     last {@value #TAIL_LINES} lines of the child's log
   */
  public void awaitReady(String what, Duration timeout, Probe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastFailure = null;
    while (true) {
      if (!process.isAlive()) {
        throw failure(what + " exited with status " + process.exitValue() + " before it was ready", lastFailure);
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        lastFailure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure(what + " was not ready within " + timeout.toSeconds() + " s", lastFailure);
      }
      try {
        Thread.sleep(PROBE_INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for " + what, e);
      }
    }
  }

  private EmbeddedServiceException failure(String message, Exception cause) {
    String tail = String.join(System.lineSeparator(), tail(TAIL_LINES));
    return new EmbeddedServiceException(
        message + " (pid " + process.pid() + ", log " + logFile + "); last log lines:" + System.lineSeparator() + tail,
        cause);
  }

  /**
   * Stops the child and all its descendants: SIGTERM first, SIGKILL for whatever still runs after the stop
   * timeout; then runs the {@link Builder#afterStop(Runnable)} actions. Idempotent; never throws.
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
    if (closed) {
      return;
    }
    closed = true;
    List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
    long started = System.nanoTime();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    try {
      stdin.close(); // after SIGTERM: a watchdog must not act on end-of-input during a regular stop
    } catch (IOException e) {
      // already closed by the child
    }
    boolean exited = false;
    try {
      exited = process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!exited) {
      LOG.warn("{} (pid {}) did not stop within {} s; killing it", name, process.pid(), stopTimeout.toSeconds());
      process.destroyForcibly();
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("{} (pid {}) stopped in {} ms", name, process.pid(), (System.nanoTime() - started) / 1_000_000);
    for (Runnable action : afterStop) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("clean-up after {} failed: {}", name, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "ChildProcess[" + name + ", pid " + process.pid() + ", alive " + process.isAlive() + "]";
  }

  static List<String> tail(Path file, int lines) {
    if (lines <= 0) {
      throw new IllegalArgumentException("lines must be positive, was " + lines);
    }
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int window = (int) Math.min(length, 256L * 1024);
      byte[] bytes = new byte[window];
      raf.seek(length - window);
      raf.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A readiness check, polled by {@link #awaitReady}. */
  @FunctionalInterface
  public interface Probe {
    /**
     * @return true when the service answers as expected
     * @throws Exception counts as "not ready yet"
     */
    boolean ready() throws Exception;
  }

  /** Describes a child process; {@link #start()} launches it. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final Path workDir;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path logFile;
    private Duration stopTimeout = Duration.ofSeconds(30);
    private final List<Runnable> afterStop = new ArrayList<>();

    private Builder(String name, Path workDir) {
      this.name = Objects.requireNonNull(name, "name");
      this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /**
     * Sets the full command line of a non-Java child (no watchdog: it relies on {@link #close()} and the
     * shutdown hook).
     *
     * @param commandLine the executable and its arguments; not empty
     * @return this builder
     */
    public Builder command(List<String> commandLine) {
      if (commandLine.isEmpty()) {
        throw new IllegalArgumentException("empty command line");
      }
      command.clear();
      command.addAll(commandLine);
      return this;
    }

    /**
     * Sets a Java child: the JDK running this JVM executes {@code mainClass} with the given classpath, behind
     * {@link ParentWatchdog} so the child exits when this JVM dies.
     *
     * @param jvmArgs JVM options such as {@code -Xmx512m} and {@code -Dkey=value}
     * @param classpath classpath entries (jars or directories); the parent's classpath is never inherited
     * @param mainClass the fully qualified main class
     * @param args the arguments of the main class
     * @return this builder
     * @throws UncheckedIOException when the watchdog class cannot be written under the work directory
     */
    public Builder java(List<String> jvmArgs, Collection<Path> classpath, String mainClass, List<String> args) {
      Path launcherDir = writeWatchdogClass(workDir.resolve("launcher"));
      List<String> entries = new ArrayList<>();
      entries.add(launcherDir.toString());
      classpath.forEach(p -> entries.add(p.toString()));
      command.clear();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(String.join(java.io.File.pathSeparator, entries));
      command.add(ParentWatchdog.class.getName());
      command.add(mainClass);
      command.addAll(args);
      return this;
    }

    /**
     * Sets an environment variable of the child (the child inherits this JVM's environment otherwise).
     *
     * @param key the variable name
     * @param value its value
     * @return this builder
     */
    public Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /**
     * Sets the log file; default {@code <workDir>/<name>.log}. Output is appended.
     *
     * @param file the log file
     * @return this builder
     */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    /**
     * Sets how long {@link ChildProcess#close()} waits after SIGTERM before it sends SIGKILL; default 30 s.
     *
     * @param timeout the grace period
     * @return this builder
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Adds an action run once the child has stopped, by {@link ChildProcess#close()} or by the shutdown hook (for
     * instance deleting the child's temporary directory). Exceptions are logged, not thrown.
     *
     * @param action the clean-up action
     * @return this builder
     */
    public Builder afterStop(Runnable action) {
      afterStop.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /**
     * Launches the child.
     *
     * @return the running child
     * @throws EmbeddedServiceException when the process cannot be started
     */
    public ChildProcess start() {
      if (command.isEmpty()) {
        throw new IllegalStateException("no command set for " + name);
      }
      Path log = logFile != null ? logFile : workDir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().putAll(environment);
      try {
        Process process = pb.start();
        LOG.debug("started {} (pid {}): {}", name, process.pid(), command);
        return new ChildProcess(name, process, log, stopTimeout, afterStop);
      } catch (IOException e) {
        throw new EmbeddedServiceException("cannot start " + name + ": " + command.get(0), e);
      }
    }

    /** @return the command line as it stands (for diagnostics) */
    public List<String> commandLine() {
      return List.copyOf(command);
    }
  }

  /**
   * Copies the class files of the given classes (top-level classes without nested classes) under {@code dir},
   * so that a child JVM can run them without the parent's classpath.
   *
   * @param dir the classpath root to write into; created if missing
   * @param classes the classes to copy
   * @return {@code dir}
   * @throws UncheckedIOException when a class file cannot be read or written
   */
  static Path writeClassFiles(Path dir, Class<?>... classes) {
    try {
      for (Class<?> type : classes) {
        String resource = type.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw new IOException("class file not found: " + resource);
          }
          Files.write(target, in.readAllBytes());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write launcher classes under " + dir, e);
    }
  }

  private static Path writeWatchdogClass(Path dir) {
    return writeClassFiles(dir, ParentWatchdog.class);
  }
}
