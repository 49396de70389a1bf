package io.tributary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedPostgres;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.check.JdbcTableReader;
import io.tributary.runtime.check.KafkaTopicReader;
import io.tributary.runtime.check.TableComparison;
import io.tributary.runtime.check.TableRows;
import io.tributary.schema.TableSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar ({@code tributary-runtime-<version>-job.jar}) on a real Flink 1.20 session cluster, submitted the way an
 * operator or the control plane submits it: uploaded through the REST API and run with {@code --pipeline-base64}.
 * A PostgreSQL table is snapshotted, then changed (inserts, updates, deletes); the Kafka topic, read with
 * {@code read_committed} and decoded through the registry, must match the table row by row and hold every change
 * exactly once; a MERGE_ON_READ Hudi sink on the same stream must complete its delta commits; finally the job stops
 * with a savepoint.
 *
 * <p>Packaging and class-loading problems of the job jar (Kryo, Avro, Jackson, Hadoop, the shaded CDC connector,
 * flink-connector-base, flink-table-common against Flink's parent-first packages, manifest data lost by shading) show
 * up here and in no MiniCluster test: any failure of the job, even one it recovers from, fails the test at once with
 * the exception from {@code GET /jobs/{id}/exceptions}. The Hudi sink is cheap here and exercises Hadoop, Parquet and
 * Hudi's Avro version check (it reads Avro's version from the jar manifest).
 */
class FlinkClusterITCase {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkClusterITCase.class);
  private static final String DB = "cluster_it";
  private static final String TOPIC = "cit.public.items";
  private static final int SNAPSHOT_ROWS = 500;
  private static final Map<String, Long> TIMINGS_MS = new LinkedHashMap<>();

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafka kafka;
  private static EmbeddedApicurio registry;
  private static FlinkSessionCluster cluster;

  @TempDir Path dir;

  @BeforeAll
  static void startServicesAndCluster() throws Throwable {
    long started = System.nanoTime();
    Path logDir = Paths.get(System.getProperty("tributary.log.dir", "target/cluster-logs"));
    // the cluster starts while the services start (two JVMs of its own)
    CompletableFuture<FlinkSessionCluster> clusterStart =
        CompletableFuture.supplyAsync(() -> FlinkSessionCluster.start(2, logDir));
    Throwable failure = null;
    try {
      postgres = EmbeddedPostgres.start();
      kafka = EmbeddedKafka.start();
      registry = EmbeddedApicurio.start();
      TIMINGS_MS.put("services", (System.nanoTime() - started) / 1_000_000);
    } catch (Throwable t) {
      failure = t;
    }
    try {
      cluster = clusterStart.join();
    } catch (CompletionException e) {
      if (failure == null) {
        failure = e.getCause();
      } else {
        failure.addSuppressed(e.getCause());
      }
    }
    TIMINGS_MS.put("services+cluster", (System.nanoTime() - started) / 1_000_000);
    if (failure != null) {
      throw failure;
    }
  }

  @AfterAll
  static void stopAll() {
    long started = System.nanoTime();
    for (AutoCloseable c : new AutoCloseable[] {cluster, registry, kafka, postgres}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing {} failed: {}", c, e.toString());
        }
      }
    }
    TIMINGS_MS.put("shutdown", (System.nanoTime() - started) / 1_000_000);
    LOG.info("timings (ms): {}", TIMINGS_MS);
  }

  @Test
  void jobJarRunsOnTheSessionClusterDeliversExactlyOnceAndStopsWithASavepoint() throws Exception {
    postgres.createDatabase(DB);
    execute("CREATE TABLE public.items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2),"
            + " qty integer, updated_at timestamptz, active boolean)",
        "ALTER TABLE public.items REPLICA IDENTITY FULL",
        "INSERT INTO public.items SELECT g, 'item ' || g, g * 1.25, g % 17, timestamptz '2024-01-01 00:00:00+00'"
            + " + g * interval '1 second', g % 2 = 0 FROM generate_series(1, " + SNAPSHOT_ROWS + ") g");
    Path lake = dir.resolve("lake");
    String yaml = pipelineYaml(lake);
    // planned here too: validates the YAML before the cluster sees it, and gives the table schema for the checks
    TableSchema table = plan(yaml);
    SchemaRegistryClient schemas = new SchemaRegistryClient(registry.ccompatUrl());
    FlinkRestClient rest = cluster.rest();

    Path jobJar = Paths.get(System.getProperty("tributary.job.jar", "target/job/tributary-runtime-job.jar"));
    assertThat(jobJar).as("the job jar (copied by the build)").isRegularFile();
    long t = System.nanoTime();
    String jarId = rest.uploadJar(jobJar);
    lap("upload " + (Files.size(jobJar) >> 20) + " MiB", t);

    t = System.nanoTime();
    String jobId = rest.runJar(jarId, List.of("--pipeline-base64",
        Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8))));
    lap("run (main on the JobManager: parse, discover, register, submit)", t);
    assertThat(jobId).matches("[0-9a-f]{32}");

    t = System.nanoTime();
    await(rest, jobId, "every task RUNNING", Duration.ofSeconds(90), progress -> {
      JsonNode job = rest.job(jobId);
      progress.set(job.path("state").asText() + " " + vertexStates(job));
      return "RUNNING".equals(job.path("state").asText()) && allVerticesRunning(job);
    });
    lap("tasks running", t);

    t = System.nanoTime();
    await(rest, jobId, "the snapshot of " + SNAPSHOT_ROWS + " rows in " + TOPIC, Duration.ofSeconds(90), progress -> {
      TableRows rows = topicRows(table, schemas);
      progress.set(rows.size() + " rows in the topic");
      return rows.size() == SNAPSHOT_ROWS;
    });
    lap("snapshot in Kafka", t);

    t = System.nanoTime();
    int changes = 0;
    int deletes = 0;
    changes += update("INSERT INTO public.items SELECT g, 'new ' || g, 2.50, 1, now(), true"
        + " FROM generate_series(" + (SNAPSHOT_ROWS + 1) + ", " + (SNAPSHOT_ROWS + 100) + ") g");
    changes += update("UPDATE public.items SET price = price + 1, qty = qty + 1 WHERE id % 10 = 0");
    int deleted = update("DELETE FROM public.items WHERE id % 7 = 0");
    changes += deleted;
    deletes += deleted;
    // one transaction with all three kinds
    execute("INSERT INTO public.items (id, name) VALUES (9000, 'tx')",
        "UPDATE public.items SET active = NULL, name = 'tx2' WHERE id = 9000",
        "DELETE FROM public.items WHERE id = 1");
    changes += 3;
    deletes += 1;
    TableRows source = JdbcTableReader.read(postgres.jdbcUrl(DB), postgres.user(), postgres.password(), table);
    // 500 + 100 inserted - 85 (id % 7 = 0 in 1..600) - id 1; id 9000 inserted and kept
    assertThat(source.size()).isEqualTo(SNAPSHOT_ROWS + 100 - 85 - 1 + 1);

    AtomicReference<TableComparison> last = new AtomicReference<>();
    await(rest, jobId, "the topic to match the table", Duration.ofMinutes(2), progress -> {
      TableComparison cmp = TableComparison.compare(source, topicRows(table, schemas));
      last.set(cmp);
      progress.set(cmp.toString());
      return cmp.matches();
    });
    lap("changes in Kafka", t);
    assertThat(last.get().sinkRows()).isEqualTo(source.size());
    // read_committed, exactly once: every snapshot row, change and tombstone once, nothing twice
    long records = KafkaTopicReader.read(kafka.bootstrapServers(), TOPIC, schemas, new TableRows(table, "kafka-0"));
    assertThat(records).as("snapshot rows + changes + a tombstone per delete").isEqualTo(SNAPSHOT_ROWS + changes + deletes);
    assertThat(schemas.latest(TOPIC + "-value")).isPresent();
    // the Hudi sink on the same stream (a MiniCluster never sees its packaging problems) completes delta commits;
    // its data is checked row by row in the e2e module
    t = System.nanoTime();
    Path timeline = lake.resolve("items").resolve(".hoodie").resolve("timeline");
    await(rest, jobId, "two completed Hudi delta commits", Duration.ofSeconds(60), progress -> {
      long done = completedInstants(timeline, "deltacommit");
      progress.set(done + " completed delta commits in " + timeline);
      return done >= 2;
    });
    lap("Hudi delta commits", t);

    t = System.nanoTime();
    Path savepoints = dir.resolve("savepoints");
    String trigger = rest.stopWithSavepoint(jobId, savepoints.toUri().toString());
    AtomicReference<JsonNode> savepoint = new AtomicReference<>();
    await(rest, jobId, "stop-with-savepoint to complete", Duration.ofSeconds(60), progress -> {
      JsonNode status = rest.savepointStatus(jobId, trigger);
      savepoint.set(status);
      progress.set(status.toString());
      return "COMPLETED".equals(status.path("status").path("id").asText());
    }, true);
    JsonNode operation = savepoint.get().path("operation");
    assertThat(operation.has("failure-cause")).as("savepoint failure: %s", operation).isFalse();
    Path location = Paths.get(URI.create(operation.path("location").asText()));
    assertThat(location.getParent()).isEqualTo(savepoints);
    assertThat(location.resolve("_metadata")).isRegularFile();
    await(rest, jobId, "the job to finish", Duration.ofSeconds(30),
        progress -> {
          String state = rest.job(jobId).path("state").asText();
          progress.set(state);
          return "FINISHED".equals(state);
        }, true);
    lap("stop with savepoint", t);
    assertThat(rest.latestException(jobId)).as("the job never failed").isNull();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String pipelineYaml(Path lake) {
    // literal addresses: for a REST submission, ${env:...} would resolve in the JobManager's environment
    return """
        pipeline:
          name: cluster-it
          parallelism: 2
          checkpoint.interval: 1s
          delivery.guarantee: exactly-once
        source:
          type: postgres
          hostname: 127.0.0.1
          port: %d
          database: %s
          username: %s
          password: %s
          tables: [public.items]
        schema:
          registry.url: %s
          compatibility: BACKWARD
        sinks:
          - type: kafka
            bootstrap.servers: %s
            topic: cit.${schema}.${table}
          - type: hudi
            path: %s/${table}
            table.type: merge-on-read
            compaction.delta.commits: 2
        """.formatted(postgres.port(), DB, postgres.user(), postgres.password(), registry.ccompatUrl(),
        kafka.bootstrapServers(), lake.toUri().toString().replaceAll("/$", ""));
  }

  private TableSchema plan(String yaml) throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, yaml);
    FactoryRegistry factories = FactoryRegistry.load();
    var parsed = new PipelineParser(factories, SecretResolver.fromSystem()).parseWithWarnings(file);
    List<TableSchema> tables = PipelinePlanner.plan(parsed.definition(), factories).tables();
    assertThat(tables).hasSize(1);
    return tables.get(0);
  }

  /** Completed instants of one action in a Hudi 1.x timeline: {@code <requested>_<completed>.<action>} files. */
  private static long completedInstants(Path timeline, String action) throws IOException {
    if (!Files.isDirectory(timeline)) {
      return 0;
    }
    try (var files = Files.list(timeline)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+_\\d+\\." + action)).count();
    }
  }

  private static TableRows topicRows(TableSchema table, SchemaRegistryClient schemas) {
    TableRows rows = new TableRows(table, "kafka-0");
    KafkaTopicReader.read(kafka.bootstrapServers(), TOPIC, schemas, rows);
    return rows;
  }

  private static boolean allVerticesRunning(JsonNode job) {
    JsonNode vertices = job.path("vertices");
    if (!vertices.isArray() || vertices.isEmpty()) {
      return false;
    }
    for (JsonNode v : vertices) {
      if (!"RUNNING".equals(v.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  private static String vertexStates(JsonNode job) {
    StringBuilder s = new StringBuilder("[");
    job.path("vertices").forEach(v -> s.append(v.path("name").asText()).append('=')
        .append(v.path("status").asText()).append("; "));
    return s.append(']').toString();
  }

  /** A condition polled by {@link #await}; it may record where it stands in {@code progress}. */
  @FunctionalInterface
  private interface Check {
    boolean done(AtomicReference<String> progress) throws Exception;
  }

  private static void await(FlinkRestClient rest, String jobId, String what, Duration timeout, Check check)
      throws Exception {
    await(rest, jobId, what, timeout, check, false);
  }

  /**
   * Polls {@code check} until it holds. Fails at once, with the job's exception, when the job failed, restarted or
   * ended (unless {@code mayEnd}: stopping ends it), and after {@code timeout} with the last progress seen.
   */
  private static void await(FlinkRestClient rest, String jobId, String what, Duration timeout, Check check,
      boolean mayEnd) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicReference<String> progress = new AtomicReference<>("nothing yet");
    while (true) {
      String exception = rest.latestException(jobId);
      String state = rest.job(jobId).path("state").asText();
      boolean ended = List.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED").contains(state);
      if (exception != null || "FAILING".equals(state) || "RESTARTING".equals(state) || (ended && !mayEnd)) {
        throw new AssertionError("job " + jobId + " is " + state + " while waiting for " + what
            + "; exception from /jobs/" + jobId + "/exceptions:\n" + exception + "\n" + cluster.logTails(40));
      }
      if (check.done(progress)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " (job "
            + state + "); last seen: " + progress.get());
      }
      Thread.sleep(500);
    }
  }

  private static void lap(String step, long startedNanos) {
    long ms = (System.nanoTime() - startedNanos) / 1_000_000;
    TIMINGS_MS.put(step, ms);
    LOG.info("{}: {} ms", step, ms);
  }

  private static int update(String sql) throws SQLException {
    try (Connection c = postgres.connect(DB); Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  private static void execute(String... statements) throws SQLException {
    try (Connection c = postgres.connect(DB); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (String s : statements) {
        st.execute(s);
      }
      c.commit();
    }
  }
}
