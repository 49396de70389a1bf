package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.check.JdbcTableReader;
import io.tributary.runtime.check.KafkaTopicReader;
import io.tributary.runtime.check.TableComparison;
import io.tributary.runtime.check.TableRows;
import io.tributary.schema.TableSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline killed mid-stream (cancelled without a savepoint, like a crash: open Kafka transactions are never
 * committed) and started again resumes from its last checkpoint: no second snapshot, and every change in Kafka exactly
 * once (read_committed), including changes made while it was down.
 */
class RestartFromCheckpointITCase {
  private static final String DB = "restart_it";
  private static final String TOPIC = "rit.public.accounts";

  @TempDir Path dir;

  @Test
  void resumesFromCheckpointWithNothingLostAndNothingDuplicated() throws Exception {
    Services s = Services.get();
    s.createDatabase(DB,
        "CREATE TABLE public.accounts (id integer PRIMARY KEY, balance numeric(12,2) NOT NULL, owner varchar(40))",
        "ALTER TABLE public.accounts REPLICA IDENTITY FULL",
        "INSERT INTO public.accounts SELECT g, g * 10, 'owner ' || g FROM generate_series(1, 500) g");
    String yaml = """
        pipeline:
          name: restart-it
          parallelism: 1
          checkpoint.interval: 500ms
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: restart_it
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: [public.accounts]
        schema:
          registry.url: ${env:REGISTRY}
        sinks:
          - type: kafka
            bootstrap.servers: ${env:KAFKA}
            topic: rit.${schema}.${table}
        """;
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    Path state = dir.resolve("state");
    int changes = 0;

    PipelinePlan plan = Pipelines.plan(yaml, env, dir);
    LocalPipelineRunner first = LocalPipelineRunner.start(plan, state, 0);
    try {
      assertThat(first.resumedFrom()).isEmpty();
      Pipelines.await(first, () -> Pipelines.tableCounter("snapshotRows") >= 500, Duration.ofMinutes(3), "snapshot");
      for (int round = 0; round < 10; round++) {
        changes += s.update(DB, "UPDATE public.accounts SET balance = balance + 1 WHERE id % 10 = " + round);
        changes += s.update(DB, "INSERT INTO public.accounts VALUES (" + (1000 + round) + ", 1, 'new')");
      }
      int expected = changes;
      Pipelines.await(first, () -> Pipelines.tableCounter("changes") >= expected, Duration.ofMinutes(2), "changes");
      // more changes, then a crash at an arbitrary point: some of these are in no completed checkpoint yet
      changes += s.update(DB, "DELETE FROM public.accounts WHERE id BETWEEN 100 AND 149");
      changes += s.update(DB, "UPDATE public.accounts SET owner = 'before crash' WHERE id BETWEEN 200 AND 260");
      Thread.sleep(700);
    } finally {
      first.cancel();
    }
    // while the pipeline is down
    changes += s.update(DB, "UPDATE public.accounts SET owner = 'while down' WHERE id BETWEEN 300 AND 330");
    changes += s.update(DB, "DELETE FROM public.accounts WHERE id = 1005");

    PipelinePlan again = Pipelines.plan(yaml, env, dir);
    LocalPipelineRunner second = LocalPipelineRunner.start(again, state, 0);
    TableSchema table = again.tables().get(0);
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    try {
      assertThat(second.resumedFrom()).as("the second run resumes from a checkpoint").isPresent();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      TableComparison cmp;
      do {
        Thread.sleep(1000);
        TableRows db = JdbcTableReader.read(s.postgres.jdbcUrl(DB), s.postgres.user(), s.postgres.password(), table);
        TableRows kafka = new TableRows(table, "kafka-0");
        KafkaTopicReader.read(s.kafka.bootstrapServers(), TOPIC, registry, kafka);
        cmp = TableComparison.compare(db, kafka);
      } while (!cmp.matches() && System.nanoTime() < deadline);
      assertThat(cmp.examples()).isEmpty();
      assertThat(cmp.matches()).isTrue();
      assertThat(Pipelines.tableCounter("snapshotRows")).as("no second snapshot").isZero();
      second.stop(Duration.ofMinutes(2));
    } finally {
      second.close();
    }

    List<TopicRecords.Decoded> records = TopicRecords.readAll(s.kafka.bootstrapServers(), TOPIC, registry);
    Map<String, Integer> perChange = new HashMap<>();
    long snapshotRows = 0;
    long logChanges = 0;
    for (TopicRecords.Decoded r : records) {
      if (r.value() == null) {
        continue;
      }
      if (r.op().equals("r")) {
        snapshotRows++;
        assertThat(perChange.merge("r/" + r.key(), 1, Integer::sum)).as("snapshot row %s once", r.key()).isEqualTo(1);
      } else {
        logChanges++;
        String id = r.key() + "/" + r.source().get("lsn") + "/" + r.op();
        assertThat(perChange.merge(id, 1, Integer::sum)).as("change %s once", id).isEqualTo(1);
      }
    }
    assertThat(snapshotRows).isEqualTo(500);
    assertThat(logChanges).as("every change exactly once").isEqualTo(changes);
  }
}
