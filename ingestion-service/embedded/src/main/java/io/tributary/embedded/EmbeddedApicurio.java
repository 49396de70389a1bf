package io.tributary.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 3.0.9 server on 127.0.0.1 and free ports (HTTP and Quarkus management port both on
 * 127.0.0.1: STACK.md item 11), run as a child JVM from the distribution {@code
 * io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all}, unpacked on first use into a per-user cache (see {@link
 * ApicurioDistribution}). The Confluent-compatible API is at {@link #ccompatUrl()}.
 *
 * <p>Storage: {@link #start()} keeps everything in memory (H2 in memory), lost on {@link #close()}; {@link
 * #start(Path)} keeps it in an H2 file database in the given directory, so schema ids survive a restart.
 *
 * <p>The JVM runs with {@value #HEAP}, the serial collector and C1 only (fast start, small footprint; the
 * registry's load is a few requests per schema, clients cache). {@link #start()} returns once {@code GET
 * /apis/ccompat/v7/subjects} answers 200.
 */
public final class EmbeddedApicurio implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApicurio.class);

  /** Maximum heap of the registry JVM. */
  public static final String HEAP = "-Xmx512m";

  /** How long {@link #start()} waits for the registry to answer, unless the system property overrides it. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  /** System property: start timeout in seconds. */
  public static final String START_TIMEOUT_PROPERTY = "tributary.embedded.apicurio.start-timeout-seconds";

  private static final String HOST = "127.0.0.1";
  private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";

  private final ChildProcess process;
  private final Path dataDir;
  private final int port;
  private final int managementPort;

  private EmbeddedApicurio(ChildProcess process, Path dataDir, int port, int managementPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * Starts a registry with in-memory storage.
   *
   * @return the running registry
   * @throws EmbeddedServiceException when the distribution is missing or the registry does not answer in time
   *     (the message quotes its last log lines)
   */
  public static EmbeddedApicurio start() {
    return start(null);
  }

  /**
   * Starts a registry whose storage is an H2 file database under {@code dataDir} (created or reused; {@link
   * #close()} keeps it). The ports are new on every start.
   *
   * @param dataDir the storage directory; null for in-memory storage
   * @return the running registry
   * @throws EmbeddedServiceException when the distribution is missing or the registry does not answer in time
   *     (the message quotes its last log lines)
   */
  public static EmbeddedApicurio start(Path dataDir) {
    long started = System.nanoTime();
    Path runner = ApicurioDistribution.runnerJar();
    Path workDir = TempDirs.create("tributary-apicurio-");
    ChildProcess process = null;
    try {
      Path tmp = Files.createDirectories(workDir.resolve("tmp"));
      int[] ports = FreePorts.pick(2);
      List<String> jvm = new ArrayList<>(List.of(HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Djava.io.tmpdir=" + tmp,
          "-Dvertx.cacheDirBase=" + tmp.resolve("vertx-cache"),
          "-Dquarkus.http.host=" + HOST,
          "-Dquarkus.http.port=" + ports[0],
          "-Dquarkus.management.host=" + HOST,
          "-Dquarkus.management.port=" + ports[1],
          "-Dquarkus.http.access-log.enabled=false",
          "-Dapicurio.datasource.jdbc.initial-size=2",
          "-Dapicurio.datasource.jdbc.min-size=2",
          "-Dapicurio.import.work-dir=" + tmp,
          "-Dapicurio.storage.snapshot.location=" + tmp));
      if (dataDir != null) {
        Path storage = Files.createDirectories(dataDir).toAbsolutePath();
        jvm.add("-Dapicurio.datasource.url=jdbc:h2:file:" + storage.resolve("registry"));
      }
      process = ChildProcess.builder("apicurio", workDir)
          .java(jvm, List.of(runner), MAIN_CLASS, List.of())
          .stopTimeout(Duration.ofSeconds(20))
          .afterStop(() -> TempDirs.deleteQuietly(workDir))
          .start();
      EmbeddedApicurio registry = new EmbeddedApicurio(process, dataDir, ports[0], ports[1]);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest probe = HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      process.awaitReady("Apicurio Registry on " + registry.url(), startTimeout(),
          () -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      LOG.info("Apicurio Registry 3.0.9 ready on {} (pid {}, storage {}) in {} ms", registry.url(), process.pid(),
          dataDir == null ? "in memory" : dataDir, (System.nanoTime() - started) / 1_000_000);
      return registry;
    } catch (IOException e) {
      cleanUp(process, workDir);
      throw new EmbeddedServiceException("cannot prepare Apicurio Registry in " + workDir, e);
    } catch (RuntimeException e) {
      cleanUp(process, workDir);
      throw e;
    }
  }

  private static void cleanUp(ChildProcess process, Path workDir) {
    if (process != null) {
      process.close();
    }
    TempDirs.deleteQuietly(workDir);
  }

  private static Duration startTimeout() {
    String seconds = System.getProperty(START_TIMEOUT_PROPERTY);
    return seconds == null ? DEFAULT_START_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds.trim()));
  }

  /** @return {@code http://127.0.0.1:<port>}, the registry's base URL */
  public String url() {
    return "http://" + HOST + ":" + port;
  }

  /** @return {@code http://127.0.0.1:<port>/apis/ccompat/v7}, the Confluent Schema Registry compatible API */
  public String ccompatUrl() {
    return url() + "/apis/ccompat/v7";
  }

  /** @return {@code http://127.0.0.1:<port>/apis/registry/v3}, Apicurio's native API */
  public String registryApiUrl() {
    return url() + "/apis/registry/v3";
  }

  /** @return the HTTP port */
  public int port() {
    return port;
  }

  /** @return the Quarkus management port (bound to 127.0.0.1 when the build enables the management interface) */
  public int managementPort() {
    return managementPort;
  }

  /** @return the storage directory given to {@link #start(Path)}, or null for in-memory storage */
  public Path dataDirectory() {
    return dataDir;
  }

  /** @return the registry's process, e.g. for {@link ChildProcess#tail(int)} in a failing test */
  public ChildProcess process() {
    return process;
  }

  /**
   * Stops the registry (SIGTERM; SIGKILL after 20 s) and deletes its temporary files. Never throws. A JVM shutdown
   * hook does the same if this is not called.
   */
  @Override
  public void close() {
    process.close(); // also deletes the temporary directory
  }

  @Override
  public String toString() {
    return "EmbeddedApicurio[" + url() + ", pid " + process.pid() + "]";
  }
}
