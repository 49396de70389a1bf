package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.check.JdbcTableReader;
import io.tributary.runtime.check.KafkaTopicReader;
import io.tributary.runtime.check.TableComparison;
import io.tributary.runtime.check.TableRows;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.TableSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL -> Kafka end to end: a snapshot, then inserts, updates and deletes; the topic is consumed with
 * read_committed, decoded through the registry and compared row by row with the table, and every change is checked
 * to arrive exactly once with the right op, before and after images, followed by a tombstone for deletes.
 */
class PostgresToKafkaITCase {
  private static final String DB = "kafka_it";
  private static final String TOPIC = "kit.public.items";

  @TempDir Path dir;

  @Test
  void snapshotAndChangesArriveExactlyOnceAndMatchTheTable() throws Exception {
    Services s = Services.get();
    s.createDatabase(DB,
        "CREATE TABLE public.items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty integer,"
            + " updated_at timestamptz, tags jsonb, active boolean, born date)",
        "ALTER TABLE public.items REPLICA IDENTITY FULL",
        "INSERT INTO public.items SELECT g, 'item ' || g, g * 1.25, g % 17, timestamptz '2024-01-01 00:00:00+00'"
            + " + g * interval '1 second', jsonb_build_object('g', g), g % 2 = 0, date '2000-01-01' + g"
            + " FROM generate_series(1, 1000) g");
    String yaml = """
        pipeline:
          name: kafka-it
          parallelism: 2
          checkpoint.interval: 1s
          delivery.guarantee: exactly-once
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: kafka_it
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: [public.items]
        schema:
          registry.url: ${env:REGISTRY}
          compatibility: BACKWARD
        sinks:
          - type: kafka
            bootstrap.servers: ${env:KAFKA}
            topic: kit.${schema}.${table}
        """;
    PipelinePlan plan = Pipelines.plan(yaml, Pipelines.env(s, dir.resolve("lake")), dir);
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state"), 1);
    try {
      Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 1000, Duration.ofMinutes(3), "snapshot");
      int changes = 0;
      changes += s.update(DB, "INSERT INTO public.items SELECT g, 'new ' || g, 2.50, 1, now(), '{\"new\":true}', true,"
          + " date '2024-02-29' FROM generate_series(1001, 1200) g");
      changes += s.update(DB, "UPDATE public.items SET price = price + 1, qty = qty + 1 WHERE id % 10 = 0");
      changes += s.update(DB, "UPDATE public.items SET name = 'twice' WHERE id = 20");
      changes += s.update(DB, "DELETE FROM public.items WHERE id % 10 = 5");
      changes += s.update(DB, "DELETE FROM public.items WHERE id = 1199");
      // a transaction that mixes all three
      s.execute(DB, "INSERT INTO public.items (id, name) VALUES (5000, 'tx')",
          "UPDATE public.items SET active = NULL WHERE id = 5000", "DELETE FROM public.items WHERE id = 1");
      changes += 3;
      int expected = changes;
      Pipelines.await(runner, () -> Pipelines.tableCounter("changes") >= expected, Duration.ofMinutes(2), "changes");
      runner.stop(Duration.ofMinutes(2));
    } finally {
      runner.close();
    }

    TableSchema table = plan.tables().get(0);
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    TableRows db = JdbcTableReader.read(s.postgres.jdbcUrl(DB), s.postgres.user(), s.postgres.password(), table);
    TableRows kafka = new TableRows(table, "kafka-0");
    KafkaTopicReader.read(s.kafka.bootstrapServers(), TOPIC, registry, kafka);
    TableComparison cmp = TableComparison.compare(db, kafka);
    assertThat(cmp.examples()).isEmpty();
    assertThat(cmp.matches()).isTrue();
    // 1000 snapshot + 200 inserted - 120 deleted (id % 10 = 5) - id 1199 + id 5000 - id 1
    assertThat(db.size()).isEqualTo(1079);

    List<TopicRecords.Decoded> records = TopicRecords.readAll(s.kafka.bootstrapServers(), TOPIC, registry);
    Map<String, Long> ops = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      TopicRecords.Decoded r = records.get(i);
      ops.merge(r.value() == null ? "tombstone" : r.op(), 1L, Long::sum);
      if (r.value() == null) {
        TopicRecords.Decoded previous = records.get(i - 1);
        assertThat(previous.op()).as("a tombstone follows its delete").isEqualTo("d");
        assertThat(previous.key()).isEqualTo(r.key());
        continue;
      }
      switch (r.op()) {
        case "r", "c" -> {
          assertThat(r.before()).isNull();
          assertThat(r.after()).isNotNull();
        }
        case "u" -> assertThat(r.before()).as("REPLICA IDENTITY FULL gives before-images").isNotNull();
        case "d" -> {
          assertThat(r.before()).isNotNull();
          assertThat(r.after()).isNull();
        }
        default -> throw new AssertionError("unexpected op " + r.op());
      }
      GenericRecord src = r.source();
      if (!r.op().equals("r")) {
        assertThat(src.get("lsn")).as("log events carry their LSN").isNotNull();
        String id = r.key() + "/" + src.get("lsn") + "/" + r.op();
        assertThat(seen.merge(id, 1, Integer::sum)).as("change %s written once", id).isEqualTo(1);
      }
      assertThat(src.get("table").toString()).isEqualTo("items");
    }
    assertThat(ops).containsEntry("r", 1000L).containsEntry("c", 201L).containsEntry("u", 122L)
        .containsEntry("d", 122L).containsEntry("tombstone", 122L);

    assertThat(registry.latest(TOPIC + "-value")).isPresent();
    assertThat(registry.latest(TOPIC + "-key")).isPresent();
    assertThat(registry.getCompatibility(TOPIC + "-value")).contains(CompatibilityLevel.BACKWARD);
    int valueId = registry.latest(TOPIC + "-value").get().id();
    assertThat(records).filteredOn(r -> r.value() != null).allMatch(r -> r.valueSchemaId() == valueId);
  }
}
