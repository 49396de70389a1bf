package io.tributary.peer;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's child-JVM entry point: runs the Debezium 3 embedded engine with the PostgreSQL connector on one table and
 * writes every change to Kafka through {@link KafkaChangeWriter} (see {@link PeerSettings} for the exact settings).
 * Never run it inside a JVM that has Tributary's shaded Flink CDC jars (STACK.md pitfall 4); {@link
 * DebeziumPeerProcess} starts it in its own JVM.
 *
 * <p>Usage: {@code DebeziumPeer --config <file.properties>} (a file written by {@link DebeziumPeerConfig#write}), or
 * {@code DebeziumPeer key=value ...} with the options of {@link DebeziumPeerConfig}. Protocol: stdout carries only
 * {@link PeerEvent} JSON lines (everything else a library might print to stdout goes to stderr, as do the logs); the
 * peer stops cleanly on a {@code stop} line or the end of stdin, or on SIGTERM: the batch in progress is finished
 * (sent, acked, offsets marked), the engine commits the marked offsets to the offsets file and the slot, the producer
 * is closed, and {@code stopped} is printed. Exit code 0 after a clean stop, 1 after a failure, 2 for a bad
 * configuration.
 */
public final class DebeziumPeer {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumPeer.class);

  /** How long the engine may take to close (task stop and final offset commit) before the peer gives up: 2 min. */
  static final Duration ENGINE_CLOSE_TIMEOUT = Duration.ofMinutes(2);

  private final DebeziumPeerConfig config;
  private final PrintStream protocol;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch engineFinished = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final AtomicBoolean snapshotReported = new AtomicBoolean();
  private final AtomicBoolean streamingReported = new AtomicBoolean();
  private volatile long startNanos;
  private KafkaChangeWriter writer;

  private DebeziumPeer(DebeziumPeerConfig config, PrintStream protocol) {
    this.config = config;
    this.protocol = protocol;
  }

  /**
   * Runs the peer until it is stopped or fails, then exits the JVM.
   *
   * @param args {@code --config <file>} or {@code key=value} options
   */
  public static void main(String[] args) {
    // stdout is the protocol channel: keep it for PeerEvent lines, send anything else to stderr
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    DebeziumPeerConfig config;
    try {
      config = parseArgs(args);
    } catch (IOException | IllegalArgumentException e) {
      LOG.error("Bad configuration: {}", e.getMessage());
      protocol.println(PeerEvent.of("failed", "message", e.getMessage()).toJson());
      System.exit(2);
      return;
    }
    int code = new DebeziumPeer(config, protocol).run();
    System.exit(code);
  }

  static DebeziumPeerConfig parseArgs(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("--config")) {
      return DebeziumPeerConfig.read(Path.of(args[1]));
    }
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Invalid argument " + a + ": use --config <file> or key=value options");
      }
      options.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return DebeziumPeerConfig.of(options);
  }

  private int run() {
    LOG.info("Starting the Debezium peer: {}", config);
    Thread hook = new Thread(this::stopFromSignal, "debezium-peer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> daemon(r, "debezium-peer-engine"));
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "debezium-peer-progress"));
    Producer<byte[], byte[]> producer = null;
    Converter keyConverter = null;
    Converter valueConverter = null;
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = null;
    try {
      Files.createDirectories(config.workDir());
      ensureTopic();
      keyConverter = converter(true);
      valueConverter = converter(false);
      producer = new KafkaProducer<>(PeerSettings.producer(config));
      writer = new KafkaChangeWriter(producer, keyConverter, valueConverter, this::snapshotAcked);
      engine =
          DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
              .using(PeerSettings.engine(config))
              .notifying(writer)
              .using(this::engineCompleted)
              .build();
      startNanos = System.nanoTime();
      engineThread.execute(engine);
      emit(
          PeerEvent.of(
              "started",
              "pid", ProcessHandle.current().pid(),
              "topic", config.topic(),
              "slot", config.get(DebeziumPeerConfig.SLOT_NAME),
              "format", config.format().name().toLowerCase(java.util.Locale.ROOT)));
      long every = config.getLong(DebeziumPeerConfig.PROGRESS_INTERVAL_MS);
      progress.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
      startStdinWatcher();

      while (stopRequested.getCount() > 0 && engineFinished.getCount() > 0) {
        stopRequested.await(100, TimeUnit.MILLISECONDS);
      }
      writer.stopAccepting();
      closeEngine(engine);
      if (!engineFinished.await(ENGINE_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        failure.compareAndSet(null, "the engine did not stop within " + ENGINE_CLOSE_TIMEOUT.toMillis() + " ms");
      }
    } catch (Exception e) {
      LOG.error("The Debezium peer failed", e);
      failure.compareAndSet(null, e.toString());
      if (engine != null) {
        closeEngine(engine);
      }
    } finally {
      progress.shutdownNow();
      if (producer != null) {
        producer.close(Duration.ofSeconds(30));
      }
      closeQuietly(keyConverter);
      closeQuietly(valueConverter);
      engineThread.shutdownNow();
      long records = writer == null ? 0 : writer.records();
      long acked = writer == null ? 0 : writer.acked();
      if (failure.get() != null) {
        emit(PeerEvent.of("failed", "message", failure.get()));
      }
      emit(PeerEvent.of("progress", progressFields(records, acked)));
      Map<String, Object> stoppedFields = new java.util.LinkedHashMap<>();
      stoppedFields.put("records", records);
      stoppedFields.put("acked", acked);
      stoppedFields.put("ms", elapsedMs());
      if (writer != null) {
        stoppedFields.putAll(writer.timings());
      }
      LOG.info("Stopped: {}", stoppedFields);
      emit(PeerEvent.of("stopped", stoppedFields));
      stopped.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down (SIGTERM): the hook waits for `stopped`, which is counted down
    }
    return failure.get() == null ? 0 : 1;
  }

  private Map<String, Object> progressFields(long records, long acked) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("records", records);
    m.put("acked", acked);
    m.put("snapshotRecords", writer == null ? 0L : writer.snapshotRecords());
    m.put("ms", elapsedMs());
    return m;
  }

  private long elapsedMs() {
    return startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Creates the topic with the configured partitions and replication factor unless it exists. */
  private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> admin =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(DebeziumPeerConfig.KAFKA_BOOTSTRAP_SERVERS));
    try (Admin a = Admin.create(admin)) {
      Set<String> existing = a.listTopics().names().get(60, TimeUnit.SECONDS);
      if (existing.contains(config.topic())) {
        LOG.info("Topic {} exists; keeping it", config.topic());
        return;
      }
      NewTopic topic =
          new NewTopic(
              config.topic(),
              (int) config.getLong(DebeziumPeerConfig.TOPIC_PARTITIONS),
              (short) config.getLong(DebeziumPeerConfig.TOPIC_REPLICATION_FACTOR));
      try {
        a.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        LOG.info("Created topic {}", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  private Converter converter(boolean isKey) throws ReflectiveOperationException {
    String name = PeerSettings.converterClass(config);
    Converter c = (Converter) Class.forName(name).getDeclaredConstructor().newInstance();
    c.configure(PeerSettings.converter(config), isKey);
    return c;
  }

  private void engineCompleted(boolean success, String message, Throwable error) {
    if (!success) {
      LOG.error("The Debezium engine failed: {}", message, error);
      String why = error == null ? message : message + " (" + rootCause(error) + ")";
      failure.compareAndSet(null, why);
    } else {
      LOG.info("The Debezium engine stopped: {}", message);
    }
    engineFinished.countDown();
  }

  private static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.toString();
  }

  private void snapshotAcked(long snapshotRecords) {
    if (snapshotReported.compareAndSet(false, true)) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("records", snapshotRecords);
      m.put("ms", elapsedMs());
      m.put("skipped", false);
      m.put("firstRecordMs", (writer.firstBatchNanos() - startNanos) / 1_000_000);
      m.putAll(writer.timings());
      emit(PeerEvent.of("snapshot-complete", m));
    }
  }

  /** Periodic work: a progress line, and the connector's JMX metrics for streaming and empty/skipped snapshots. */
  private void tick() {
    try {
      if (writer == null) {
        return;
      }
      emit(PeerEvent.of("progress", progressFields(writer.records(), writer.acked())));
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      if (!streamingReported.get() && Boolean.TRUE.equals(metric(server, "streaming", "Connected"))) {
        streamingReported.set(true);
        emit(PeerEvent.of("streaming", "ms", elapsedMs()));
        if (config.snapshotMode() == DebeziumPeerConfig.SnapshotMode.NO_DATA
            && snapshotReported.compareAndSet(false, true)) {
          emit(PeerEvent.of("snapshot-complete", "records", 0L, "ms", elapsedMs(), "skipped", true));
        }
      }
      if (!snapshotReported.get()
          && Boolean.TRUE.equals(metric(server, "snapshot", "SnapshotCompleted"))
          && Long.valueOf(0).equals(metric(server, "snapshot", "TotalNumberOfEventsSeen"))
          && snapshotReported.compareAndSet(false, true)) {
        // a snapshot of an empty table has no "last" record to wait for
        emit(PeerEvent.of("snapshot-complete", "records", 0L, "ms", elapsedMs(), "skipped", false));
      }
    } catch (RuntimeException e) {
      LOG.warn("Progress report failed", e);
    }
  }

  /** Reads one attribute of the PostgreSQL connector's metrics MBean for {@code context}; null when not registered. */
  private Object metric(MBeanServer server, String context, String attribute) {
    try {
      ObjectName pattern = new ObjectName("debezium.postgres:type=connector-metrics,context=" + context + ",*");
      for (ObjectName name : server.queryNames(pattern, null)) {
        String serverName = name.getKeyProperty("server");
        if (serverName != null && serverName.startsWith("\"")) {
          serverName = ObjectName.unquote(serverName);
        }
        if (config.get(DebeziumPeerConfig.TOPIC_PREFIX).equals(serverName)) {
          return server.getAttribute(name, attribute);
        }
      }
      return null;
    } catch (Exception e) {
      LOG.debug("No metric {}/{}: {}", context, attribute, e.toString());
      return null;
    }
  }

  private void startStdinWatcher() {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.trim().equalsIgnoreCase("stop")) {
                    LOG.info("Stop requested on stdin");
                    stopRequested.countDown();
                    return;
                  }
                  LOG.warn("Ignoring stdin line '{}' (only 'stop' is understood)", line);
                }
                LOG.info("stdin closed: stopping");
                stopRequested.countDown();
              } catch (IOException e) {
                LOG.warn("Cannot read stdin: stopping", e);
                stopRequested.countDown();
              }
            },
            "debezium-peer-stdin");
    t.setDaemon(true);
    t.start();
  }

  /** The JVM shutdown hook (SIGTERM, or System.exit from main): stop cleanly and wait for the stop to finish. */
  private void stopFromSignal() {
    if (stopped.getCount() == 0) {
      return;
    }
    LOG.info("Signal received: stopping");
    stopRequested.countDown();
    try {
      if (!stopped.await(ENGINE_CLOSE_TIMEOUT.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
        LOG.error("The peer did not stop in time; the JVM exits anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the engine. {@code close()} refuses while tasks are starting (Debezium's rule, to avoid leaked
   * connections), so this retries until the tasks run or {@link #ENGINE_CLOSE_TIMEOUT} passes; an engine that already
   * stopped (after a failure) is left as it is.
   */
  private void closeEngine(DebeziumEngine<?> engine) {
    long deadline = System.nanoTime() + ENGINE_CLOSE_TIMEOUT.toNanos();
    while (true) {
      try {
        engine.close();
        return;
      } catch (IllegalStateException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("already") || engineFinished.getCount() == 0) {
          LOG.debug("Engine close: {}", m);
          return;
        }
        if (System.nanoTime() > deadline) {
          LOG.warn("Engine close kept failing: {}", m);
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Engine close failed", e);
        return;
      }
    }
  }

  private synchronized void emit(PeerEvent event) {
    protocol.println(event.toJson());
    protocol.flush();
  }

  private static void closeQuietly(Converter c) {
    if (c instanceof AutoCloseable a) {
      try {
        a.close();
      } catch (Exception e) {
        LOG.debug("Converter close failed", e);
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
