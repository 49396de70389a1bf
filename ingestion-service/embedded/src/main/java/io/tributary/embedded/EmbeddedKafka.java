package io.tributary.embedded;

import io.tributary.embedded.internal.KafkaServerMain;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka 3.9.2 cluster in KRaft mode (one process acting as broker and controller) on
 * 127.0.0.1 and free ports, run as a child JVM with Kafka's own classpath, so that the broker's Scala, Jackson
 * and ZooKeeper jars never reach the caller's classpath.
 *
 * <p>Settings for one node: replication factor 1 and {@code min.insync.replicas} 1 for the offsets and
 * transaction-state topics (so transactions, hence exactly-once delivery, work), 4 partitions each (fast first
 * use), no initial rebalance delay, automatic topic creation on (Kafka's default), heap {@value #HEAP}.
 *
 * <p>The broker's jars come from the local Maven repository, as recorded when this module was built; the JVM is
 * the one running the caller. {@link #start()} returns once the broker answers an Admin {@code describeCluster}
 * call; {@link #close()} stops the process and deletes its temporary directory. The child also exits by itself
 * if the calling JVM dies.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Maximum heap of the broker JVM. */
  public static final String HEAP = "-Xmx512m";

  /** How long {@link #start()} waits for the broker to answer, unless the system property overrides it. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  /** System property: start timeout in seconds. */
  public static final String START_TIMEOUT_PROPERTY = "tributary.embedded.kafka.start-timeout-seconds";

  private static final String HOST = "127.0.0.1";

  private final ChildProcess process;
  private final Path logDir;
  private final int port;
  private final int controllerPort;

  private EmbeddedKafka(ChildProcess process, Path logDir, int port, int controllerPort) {
    this.process = process;
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Starts a broker with a temporary log directory (deleted by {@link #close()}).
   *
   * @return the running broker
   * @throws EmbeddedServiceException when the broker jars are missing or the broker does not answer in time (the
   *     message quotes its last log lines)
   */
  public static EmbeddedKafka start() {
    return start(null);
  }

  /**
   * Starts a broker on {@code logDir}: formats it on first use, and resumes with its topics and committed offsets
   * on later starts ({@link #close()} keeps it). The ports are new on every start.
   *
   * @param logDir the KRaft log directory to create or reuse; null for a temporary one
   * @return the running broker
   * @throws EmbeddedServiceException when the broker jars are missing or the broker does not answer in time (the
   *     message quotes its last log lines)
   */
  public static EmbeddedKafka start(Path logDir) {
    return start(logDir, Map.of());
  }

  /**
   * Starts a broker as {@link #start(Path)} does, with extra broker settings that override the defaults (for
   * instance {@code auto.create.topics.enable=false} or {@code message.max.bytes}). Listener, controller and
   * log-directory settings are this class's business: overriding them breaks the broker.
   *
   * @param logDir the KRaft log directory to create or reuse; null for a temporary one
   * @param brokerProperties broker settings ({@code server.properties} keys), not null
   * @return the running broker
   * @throws EmbeddedServiceException when the broker jars are missing or the broker does not answer in time (the
   *     message quotes its last log lines)
   */
  public static EmbeddedKafka start(Path logDir, Map<String, String> brokerProperties) {
    long started = System.nanoTime();
    List<Path> classpath = MavenLocalRepository.locate().classpath("kafka.classpath", "kafka-runtime.classpath");
    Path workDir = TempDirs.create("tributary-kafka-");
    ChildProcess process = null;
    try {
      boolean temporary = logDir == null;
      Path dataDir = temporary ? workDir.resolve("data") : logDir.toAbsolutePath();
      Files.createDirectories(dataDir);
      Path tmp = Files.createDirectories(workDir.resolve("tmp"));
      int[] ports = FreePorts.pick(2);
      Path serverProperties = workDir.resolve("server.properties");
      StringBuilder config = new StringBuilder(serverProperties(ports[0], ports[1], dataDir));
      brokerProperties.forEach((key, value) -> config.append(key).append('=').append(value).append('\n'));
      Files.write(serverProperties, config.toString().getBytes(StandardCharsets.UTF_8));
      Path log4j = workDir.resolve("log4j.properties");
      Files.write(log4j, LOG4J.getBytes(StandardCharsets.UTF_8));

      List<Path> fullClasspath = new ArrayList<>();
      fullClasspath.add(ChildProcess.writeClassFiles(workDir.resolve("kafka-launcher"), KafkaServerMain.class));
      fullClasspath.addAll(classpath);
      List<String> jvm = List.of(HEAP, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
          "-Djava.io.tmpdir=" + tmp, "-Dlog4j.configuration=" + log4j.toUri(), "-Dkafka.logs.dir=" + workDir);
      String clusterId = clusterId(dataDir);
      process = ChildProcess.builder("kafka", workDir)
          .java(jvm, fullClasspath, KafkaServerMain.class.getName(), List.of(clusterId, serverProperties.toString()))
          .stopTimeout(Duration.ofSeconds(30))
          .afterStop(() -> TempDirs.deleteQuietly(workDir))
          .start();

      EmbeddedKafka kafka = new EmbeddedKafka(process, dataDir, ports[0], ports[1]);
      process.awaitReady("Kafka broker on " + kafka.bootstrapServers(), startTimeout(), kafka::answers);
      LOG.info("Kafka 3.9.2 ready on {} (pid {}, log dir {}) in {} ms", kafka.bootstrapServers(), process.pid(),
          dataDir, (System.nanoTime() - started) / 1_000_000);
      return kafka;
    } catch (IOException e) {
      cleanUp(process, workDir);
      throw new EmbeddedServiceException("cannot prepare the Kafka broker in " + workDir, e);
    } catch (RuntimeException e) {
      cleanUp(process, workDir);
      throw e;
    }
  }

  /** The id of a formatted log directory (formatting again checks it), or a new one. */
  private static String clusterId(Path dataDir) throws IOException {
    Path meta = dataDir.resolve("meta.properties");
    if (Files.isRegularFile(meta)) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      String id = properties.getProperty("cluster.id");
      if (id != null && !id.isBlank()) {
        return id.trim();
      }
    }
    return Uuid.randomUuid().toString();
  }

  private static void cleanUp(ChildProcess process, Path workDir) {
    if (process != null) {
      process.close();
    }
    TempDirs.deleteQuietly(workDir);
  }

  private boolean answers() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
    } catch (IOException e) {
      return false; // not listening yet; avoids the Admin client's connection warnings
    }
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.CLIENT_ID_CONFIG, "tributary-embedded-probe");
    try (Admin admin = Admin.create(config)) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    }
  }

  private static Duration startTimeout() {
    String seconds = System.getProperty(START_TIMEOUT_PROPERTY);
    return seconds == null ? DEFAULT_START_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds.trim()));
  }

  static String serverProperties(int port, int controllerPort, Path dataDir) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
        "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort,
        "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
        "controller.listener.names=CONTROLLER",
        // the only voter otherwise waits a full election timeout (1 s by default) before it elects itself
        "controller.quorum.election.timeout.ms=200",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir,
        "num.partitions=1",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "group.initial.rebalance.delay.ms=0",
        "num.network.threads=2",
        "num.io.threads=4",
        "log.cleaner.dedupe.buffer.size=16777216",
        "");
  }

  /** The broker logs WARN and above, plus its start and stop, to standard output (the process log file). */
  private static final String LOG4J = String.join("\n",
      "log4j.rootLogger=WARN, stdout",
      "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
      "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
      "log4j.logger.kafka.server.KafkaRaftServer=INFO",
      "log4j.logger.kafka.server.BrokerServer=INFO",
      "log4j.logger.kafka.server.ControllerServer=INFO",
      "");

  /** @return {@code 127.0.0.1:<port>}, for {@code bootstrap.servers} */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** @return the port of the PLAINTEXT listener */
  public int port() {
    return port;
  }

  /** @return the port of the KRaft controller listener (clients never need it) */
  public int controllerPort() {
    return controllerPort;
  }

  /** @return the KRaft log directory (topics, offsets, cluster metadata) */
  public Path logDirectory() {
    return logDir;
  }

  /** @return the broker's process, e.g. for {@link ChildProcess#tail(int)} in a failing test */
  public ChildProcess process() {
    return process;
  }

  /**
   * Stops the broker (SIGTERM, controlled shutdown; SIGKILL after 30 s) and deletes its temporary files, and its
   * log directory when it was temporary. Never throws. A JVM shutdown hook does the same if this is not called.
   */
  @Override
  public void close() {
    process.close(); // also deletes the temporary directory, which holds a temporary log directory
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", pid " + process.pid() + "]";
  }
}
