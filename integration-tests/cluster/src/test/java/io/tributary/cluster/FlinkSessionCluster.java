package io.tributary.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.embedded.ChildProcess;
import io.tributary.embedded.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Flink 1.20 standalone session cluster: one JobManager ({@code StandaloneSessionClusterEntrypoint})
 * and one TaskManager ({@code TaskManagerRunner}), each a child JVM started from Flink's Maven jars, the way
 * Flink's {@code start-cluster.sh} starts them from a distribution.
 *
 * <p>The classpath is the file named by the system property {@value #CLASSPATH_PROPERTY} (written by the build's
 * {@code build-classpath} execution: flink-runtime, flink-clients, flink-streaming-java, flink-runtime-web, log4j).
 * Every listening socket binds 127.0.0.1 on a port that was free at start. The TaskManager's JVM memory flags and
 * dynamic {@code -D taskmanager.memory.*} properties are derived from the configuration with Flink's own
 * {@link TaskExecutorProcessUtils}, as {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} does for the shell scripts;
 * the JobManager's with {@link JobManagerProcessUtils} ({@code GET_JM_RESOURCE_PARAMS}).
 *
 * <p>Settings: a bounded fixed-delay restart strategy (2 attempts, 2 s apart), hashmap state backend, checkpoints
 * and savepoints under the cluster's temporary directory, {@code web.upload.dir} absolute, a raised REST content
 * limit (job jars exceed Flink's 100 MiB default), no metric reporter. {@link #close()} stops both processes and
 * deletes the temporary directory; logs go to the log directory given to {@link #start}, which is kept.
 */
final class FlinkSessionCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkSessionCluster.class);

  /** System property: file holding the cluster's classpath (entries separated by the path separator). */
  static final String CLASSPATH_PROPERTY = "tributary.flink.classpath.file";

  /** How long {@link #start} waits for the JobManager's REST endpoint and the TaskManager's slots. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private static final String HOST = "127.0.0.1";
  private static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  /** The JDK 17 module grants of Flink's default {@code env.java.opts.all} (Kryo and reflection into java.*). */
  private static final List<String> JDK17_OPENS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Path workDir;
  private final Path logDir;
  private final URI restUri;
  private final Path savepointDir;
  private final FlinkRestClient rest;
  private ChildProcess jobManager;
  private ChildProcess taskManager;

  private FlinkSessionCluster(Path workDir, Path logDir, int restPort) {
    this.workDir = workDir;
    this.logDir = logDir;
    this.restUri = URI.create("http://" + HOST + ":" + restPort);
    this.savepointDir = workDir.resolve("savepoints");
    this.rest = new FlinkRestClient(restUri);
  }

  /**
   * Starts the JobManager and the TaskManager and waits until the TaskManager's slots are registered.
   *
   * @param taskSlots slots of the one TaskManager, positive
   * @param logDir where the processes' logs go (created; kept after {@link #close()}); {@code jobmanager.log},
   *     {@code jobmanager.out}, {@code taskmanager.log}, {@code taskmanager.out}
   * @return the running cluster
   * @throws io.tributary.embedded.EmbeddedServiceException if a process exits or is not ready within {@link
   *     #START_TIMEOUT} (the message quotes its last output lines)
   * @throws UncheckedIOException if the configuration or the classpath file cannot be read or written
   */
  static FlinkSessionCluster start(int taskSlots, Path logDir) {
    long started = System.nanoTime();
    List<Path> classpath = classpath();
    Path workDir;
    try {
      workDir = Files.createTempDirectory("tributary-flink-");
      Files.createDirectories(logDir);
      for (String log : List.of("jobmanager.log", "jobmanager.out", "taskmanager.log", "taskmanager.out")) {
        Files.deleteIfExists(logDir.resolve(log)); // the logs of the previous run
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cluster's directories", e);
    }
    int[] ports = FreePorts.pick(5);
    FlinkSessionCluster cluster = new FlinkSessionCluster(workDir, logDir.toAbsolutePath(), ports[0]);
    try {
      Map<String, String> conf = cluster.configuration(taskSlots, ports);
      Path confDir = cluster.writeConfiguration(conf);
      Configuration flinkConf = new Configuration();
      conf.forEach(flinkConf::setString);

      JobManagerProcessSpec jmSpec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
          flinkConf, JobManagerOptions.TOTAL_PROCESS_MEMORY);
      List<String> jmJvm = new ArrayList<>(words(JobManagerProcessUtils.generateJvmParametersStr(jmSpec, flinkConf)));
      jmJvm.addAll(cluster.commonJvmArgs(confDir, "jobmanager"));
      List<String> jmArgs = new ArrayList<>(List.of("--configDir", confDir.toString(), "--executionMode", "cluster"));
      jmArgs.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(jmSpec)));
      cluster.jobManager = ChildProcess.builder("flink-jobmanager", workDir)
          .java(jmJvm, classpath, JOB_MANAGER_MAIN, jmArgs)
          .logFile(cluster.logDir.resolve("jobmanager.out"))
          .stopTimeout(Duration.ofSeconds(15))
          .start();

      TaskExecutorProcessSpec tmSpec = TaskExecutorProcessUtils.processSpecFromConfig(flinkConf);
      List<String> tmJvm = new ArrayList<>(words(ProcessMemoryUtils.generateJvmParametersStr(tmSpec)));
      tmJvm.addAll(cluster.commonJvmArgs(confDir, "taskmanager"));
      List<String> tmArgs = new ArrayList<>(List.of("--configDir", confDir.toString()));
      tmArgs.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(tmSpec)));
      cluster.taskManager = ChildProcess.builder("flink-taskmanager", workDir)
          .java(tmJvm, classpath, TASK_MANAGER_MAIN, tmArgs)
          .logFile(cluster.logDir.resolve("taskmanager.out"))
          .stopTimeout(Duration.ofSeconds(15))
          .start();
      LOG.info("JobManager JVM {}; TaskManager JVM {} {}", jmJvm.subList(0, 2), tmJvm.subList(0, 4),
          tmArgs.subList(2, tmArgs.size()));

      cluster.jobManager.awaitReady("Flink JobManager REST on " + cluster.restUri, START_TIMEOUT,
          () -> cluster.rest.get("/config").has("flink-version"));
      cluster.taskManager.awaitReady("Flink TaskManager with " + taskSlots + " slot(s)", START_TIMEOUT, () -> {
        if (!cluster.jobManager.isAlive()) {
          throw new IllegalStateException("the JobManager exited; see " + cluster.logDir);
        }
        JsonNode overview = cluster.rest.get("/overview");
        return overview.path("taskmanagers").asInt() >= 1 && overview.path("slots-total").asInt() >= taskSlots;
      });
      LOG.info("Flink session cluster ready at {} in {} ms (JobManager pid {}, TaskManager pid {}, logs {})",
          cluster.restUri,
          (System.nanoTime() - started) / 1_000_000, cluster.jobManager.pid(), cluster.taskManager.pid(), logDir);
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException("cannot write the cluster's configuration under " + workDir, e);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** @return the REST endpoint, {@code http://127.0.0.1:<port>} */
  URI restUri() {
    return restUri;
  }

  /** @return a REST client for this cluster */
  FlinkRestClient rest() {
    return rest;
  }

  /** @return the directory the cluster writes savepoints to by default (under its temporary directory) */
  Path savepointDir() {
    return savepointDir;
  }

  /** @return where the logs are */
  Path logDir() {
    return logDir;
  }

  /**
   * @param lines how many lines
   * @return the last lines of the JobManager's and the TaskManager's Flink logs, for failure messages
   */
  String logTails(int lines) {
    return "--- jobmanager.log ---\n" + String.join("\n", tail(logDir.resolve("jobmanager.log"), lines))
        + "\n--- taskmanager.log ---\n" + String.join("\n", tail(logDir.resolve("taskmanager.log"), lines));
  }

  /** Stops the TaskManager, then the JobManager, and deletes the temporary directory. Idempotent. */
  @Override
  public void close() {
    if (taskManager != null) {
      taskManager.close();
    }
    if (jobManager != null) {
      jobManager.close();
    }
    deleteTree(workDir);
  }

  private Map<String, String> configuration(int taskSlots, int[] ports) throws IOException {
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    Path upload = Files.createDirectories(workDir.resolve("upload"));
    Map<String, String> c = new LinkedHashMap<>();
    // every address on loopback
    c.put("jobmanager.rpc.address", HOST);
    c.put("jobmanager.bind-host", HOST);
    c.put("taskmanager.host", HOST);
    c.put("taskmanager.bind-host", HOST);
    c.put("rest.address", HOST);
    c.put("rest.bind-address", HOST);
    // fixed free ports (no random ones: easier to reason about what listens where)
    c.put("rest.port", Integer.toString(ports[0]));
    c.put("jobmanager.rpc.port", Integer.toString(ports[1]));
    c.put("blob.server.port", Integer.toString(ports[2]));
    c.put("taskmanager.rpc.port", Integer.toString(ports[3]));
    c.put("taskmanager.data.port", Integer.toString(ports[4]));
    // shared by both processes, so no fixed port: 0 lets each bind any free one (on its bind host, 127.0.0.1)
    c.put("metrics.internal.query-service.port", "0");
    // directories: nothing outside the work directory
    c.put("io.tmp.dirs", tmp.toString());
    c.put("web.tmpdir", tmp.toString());
    c.put("web.upload.dir", upload.toAbsolutePath().toString());
    c.put("blob.storage.directory", Files.createDirectories(workDir.resolve("blobs")).toString());
    c.put("taskmanager.resource-id", "tributary-tm-1");
    // job jars exceed the 100 MiB default
    c.put("rest.server.max-content-length", Long.toString(512L * 1024 * 1024));
    c.put("rest.client.max-content-length", Long.toString(512L * 1024 * 1024));
    // memory (the TaskManager's JVM flags and -D properties are derived from these)
    c.put("jobmanager.memory.process.size", "1280m");
    c.put("jobmanager.memory.jvm-metaspace.size", "384m");
    c.put("taskmanager.memory.process.size", "1536m");
    c.put("taskmanager.memory.jvm-metaspace.size", "384m");
    c.put("taskmanager.memory.managed.size", "64m");
    c.put("taskmanager.memory.network.min", "64m");
    c.put("taskmanager.memory.network.max", "64m");
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(taskSlots));
    c.put("parallelism.default", "1");
    // a missing slot must not fail a restart at once; failures must not retry forever (STACK.md item 13)
    c.put("resourcemanager.standalone.start-up-time", "60000");
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", "2");
    c.put("restart-strategy.fixed-delay.delay", "2 s");
    // state
    c.put("state.backend.type", "hashmap");
    c.put("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", savepointDir.toUri().toString());
    c.put("web.submit.enable", "true");
    c.put("web.cancel.enable", "true");
    return c;
  }

  private Path writeConfiguration(Map<String, String> conf) throws IOException {
    Path confDir = Files.createDirectories(workDir.resolve("conf"));
    StringBuilder yaml = new StringBuilder("# written by FlinkSessionCluster (flat keys, standard YAML)\n");
    conf.forEach((k, v) -> yaml.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
    Files.writeString(confDir.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
    String log4j = String.join("\n",
        "monitorInterval = 0",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.main.ref = main",
        "appender.main.name = main",
        "appender.main.type = File",
        "appender.main.append = true",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p [%t] %c{1.} - %m%n",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "logger.debezium.name = io.debezium",
        "logger.debezium.level = WARN",
        "");
    Files.writeString(confDir.resolve("log4j.properties"), log4j, StandardCharsets.UTF_8);
    return confDir;
  }

  private List<String> commonJvmArgs(Path confDir, String role) {
    List<String> args = new ArrayList<>(JDK17_OPENS);
    args.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
    args.add("-Dlog.file=" + logDir.resolve(role + ".log"));
    args.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
    args.add("-Dlog4j2.formatMsgNoLookups=true");
    return args;
  }

  private static List<Path> classpath() {
    String file = System.getProperty(CLASSPATH_PROPERTY);
    if (file == null || file.isBlank()) {
      throw new IllegalStateException("system property " + CLASSPATH_PROPERTY + " is not set; run the test through "
          + "Maven (mvn verify -f integration-tests/cluster/pom.xml), whose build writes the cluster's classpath");
    }
    try {
      String text = Files.readString(Paths.get(file), StandardCharsets.UTF_8).trim();
      List<Path> entries = new ArrayList<>();
      for (String entry : text.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(Paths.get(entry.trim()));
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster classpath " + file, e);
    }
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  private static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of("(no log: " + e + ")");
    }
  }

  private static void deleteTree(Path dir) {
    io.tributary.embedded.TempDirs.deleteQuietly(dir);
  }

}
