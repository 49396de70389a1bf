package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.Checkpoints;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary run} in its own JVM, stopped by a signal (SIGTERM; Ctrl-C's SIGINT takes the same path): it stops
 * with a savepoint and exits 0, and the savepoint has committed everything read so far into Kafka and into a
 * MERGE_ON_READ Hudi table (whose log writer cannot write from inside a JVM shutdown hook). A second run resumes
 * from the savepoint without a second snapshot.
 */
class RunCommandStopITCase {
  @TempDir Path dir;

  @Test
  void aSignalStopsWithASavepointThatCommitsEverythingAndTheNextRunResumes() throws Exception {
    Services s = Services.get();
    String db = "stop_it";
    s.createDatabase(db,
        "CREATE TABLE public.tickets (id integer PRIMARY KEY, title text NOT NULL, points numeric(6,1))",
        "ALTER TABLE public.tickets REPLICA IDENTITY FULL",
        "INSERT INTO public.tickets SELECT g, 'ticket ' || g, g / 10.0 FROM generate_series(1, 2000) g");
    Path lake = dir.resolve("lake");
    String yaml = """
        pipeline:
          name: stop-it
          checkpoint.interval: 1s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: %d
          database: stop_it
          username: %s
          password: %s
          tables: [public.tickets]
        schema:
          registry.url: %s
        sinks:
          - type: kafka
            bootstrap.servers: %s
            topic: stopit.${table}
          - type: hudi
            path: %s/${table}
            table.type: merge-on-read
        """.formatted(s.postgres.port(), s.postgres.user(), s.postgres.password(), s.registry.ccompatUrl(),
        s.kafka.bootstrapServers(), lake.toUri().toString().replaceAll("/$", ""));
    Path file = dir.resolve("stop-it.yaml");
    Files.writeString(file, yaml);
    Path state = dir.resolve("state");
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());

    Process first = start(file, state, dir.resolve("first.log"));
    try {
      awaitRecords(s, registry, 2000, first);
      s.update(db, "UPDATE public.tickets SET points = points + 1 WHERE id <= 300");
      s.update(db, "INSERT INTO public.tickets VALUES (5000, 'late', 1.0)");
      Thread.sleep(1500);
    } finally {
      first.destroy(); // SIGTERM
    }
    assertThat(first.waitFor(3, TimeUnit.MINUTES)).as("the CLI exits after its savepoint").isTrue();
    String out = Files.readString(dir.resolve("first.log"), StandardCharsets.UTF_8);
    assertThat(first.exitValue()).as(out).isZero();
    assertThat(out).contains("Pipeline stopped with a savepoint");
    assertThat(Checkpoints.latest(state)).hasValueSatisfying(p -> assertThat(p.toString()).contains("savepoint"));

    // changes made while stopped, then a second run that resumes and is stopped the same way
    s.update(db, "DELETE FROM public.tickets WHERE id BETWEEN 1000 AND 1099");
    Process second = start(file, state, dir.resolve("second.log"));
    try {
      awaitRecords(s, registry, 2000 + 300 + 1 + 100 + 100, second); // r + u + c + d + tombstones
      Thread.sleep(1500);
    } finally {
      second.destroy();
    }
    assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String out2 = Files.readString(dir.resolve("second.log"), StandardCharsets.UTF_8);
    assertThat(second.exitValue()).as(out2).isZero();
    assertThat(out2).contains("Resumed from").contains("Pipeline stopped with a savepoint");

    PipelinePlan plan = Pipelines.plan(yaml, Map.of(), dir);
    List<TableComparison> results = ConsistencyCheck.run(plan.definition(), plan.tables(),
        ConsistencyCheck.jdbc(s.postgres.jdbcUrl(db), s.postgres.user(), s.postgres.password()));
    assertThat(results).hasSize(2).allSatisfy(c -> {
      assertThat(c.examples()).as(c.sink()).isEmpty();
      assertThat(c.sourceRows()).isEqualTo(1901);
    });
    // no second snapshot: exactly 2000 snapshot rows in the topic
    long snapshotRows = TopicRecords.readAll(s.kafka.bootstrapServers(), "stopit.tickets", registry).stream()
        .filter(r -> r.value() != null && r.op().equals("r")).count();
    assertThat(snapshotRows).isEqualTo(2000);
  }

  private static Process start(Path file, Path state, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    for (String opens : new String[] {"java.base/java.lang", "java.base/java.util", "java.base/java.nio",
        "java.base/sun.nio.ch", "java.base/java.lang.invoke", "java.base/java.io", "java.base/java.net",
        "java.base/java.util.concurrent", "java.base/java.lang.reflect", "java.base/java.time", "java.base/java.text",
        "java.sql/java.sql"}) {
      cmd.add("--add-opens=" + opens + "=ALL-UNNAMED");
    }
    cmd.add("-Dtributary.log.dir=" + log.getParent().resolve("logs"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.tributary.runtime.cli.TributaryCli");
    cmd.add("run");
    cmd.add(file.toString());
    cmd.add("--state-dir");
    cmd.add(state.toString());
    cmd.add("--restart-attempts");
    cmd.add("0");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the topic holds at least {@code n} committed records. */
  private static void awaitRecords(Services s, SchemaRegistryClient registry, int n, Process cli) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", s.kafka.bootstrapServers()))) {
      // the CLI creates the topic before its job starts; reading earlier would auto-create it
      while (!admin.listTopics().names().get().contains("stopit.tickets")) {
        assertThat(cli.isAlive()).as("the CLI is running").isTrue();
        assertThat(System.nanoTime()).as("topic created").isLessThan(deadline);
        Thread.sleep(500);
      }
    }
    while (true) {
      assertThat(cli.isAlive()).as("the CLI is running").isTrue();
      int count = TopicRecords.readAll(s.kafka.bootstrapServers(), "stopit.tickets", registry).size();
      if (count >= n) {
        return;
      }
      assertThat(System.nanoTime()).as("%d of %d records", count, n).isLessThan(deadline);
      Thread.sleep(1000);
    }
  }
}
