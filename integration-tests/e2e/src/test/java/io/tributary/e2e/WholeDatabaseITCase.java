package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.PipelineSupervisor;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-database PostgreSQL pipeline: include and exclude patterns over {@code schema.table}, topics and Hudi
 * tables named by routing templates, and a table created while the pipeline runs picked up by the runner's table
 * discovery (stop with a savepoint, start again with it): the new table is snapshotted and streamed, the others are
 * not snapshotted again and lose nothing.
 */
class WholeDatabaseITCase {
  @TempDir(cleanup = CleanupMode.NEVER) Path dir;

  @AfterEach
  void deleteDir() throws InterruptedException {
    SchemaChangeSteps.deleteWhenQuiet(dir);
  }

  @Test
  void includeExcludeRoutingAndANewTablePickedUpWithoutSnapshottingTheOthers() throws Exception {
    Services s = Services.get();
    String db = "whole_db";
    s.createDatabase(db,
        "CREATE TABLE public.customers (id integer PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE public.orders (id integer PRIMARY KEY, customer integer NOT NULL)",
        "CREATE TABLE public.tmp_import (id integer PRIMARY KEY)",
        "ALTER TABLE public.customers REPLICA IDENTITY FULL",
        "ALTER TABLE public.orders REPLICA IDENTITY FULL",
        "INSERT INTO public.customers SELECT g, 'c' || g FROM generate_series(1, 50) g",
        "INSERT INTO public.orders SELECT g, g % 50 + 1 FROM generate_series(1, 80) g",
        "INSERT INTO public.tmp_import SELECT g FROM generate_series(1, 5) g");
    String yaml = """
        pipeline:
          name: whole-db
          parallelism: 1
          checkpoint.interval: 1s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: whole_db
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: ["public\\\\..*"]
          tables.exclude: ["public\\\\.tmp_.*"]
        schema:
          registry.url: ${env:REGISTRY}
        sinks:
          - type: kafka
            bootstrap.servers: ${env:KAFKA}
            topic: lake.${database}.${schema}.${table}
          - type: hudi
            path: ${env:LAKE}/${database}/${table}
            table.name: ${database}_${table}
        """;
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    List<String> notices = new ArrayList<>();
    PipelineSupervisor sup = PipelineSupervisor.start(Pipelines.plan(yaml, env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, notices::add, Duration.ofSeconds(2));
    String customers = "lake.whole_db.public.customers";
    String shipments = "lake.whole_db.public.shipments";
    try {
      assertThat(sup.runner().plan().tables()).extracting(t -> t.tableId().toString())
          .containsExactly("whole_db.public.customers", "whole_db.public.orders");
      SchemaChangeSteps.awaitTopic(s, sup, customers, rs -> rs.size() >= 50, "the customers snapshot");
      s.execute(db,
          "CREATE TABLE public.shipments (id integer PRIMARY KEY, order_id integer NOT NULL)",
          "ALTER TABLE public.shipments REPLICA IDENTITY FULL",
          "INSERT INTO public.shipments SELECT g, g FROM generate_series(1, 30) g",
          "CREATE TABLE public.tmp_scratch (id integer PRIMARY KEY)");
      SchemaChangeSteps.awaitTopic(s, sup, shipments, rs -> rs.size() >= 30, "the new table's snapshot");
      s.execute(db, "INSERT INTO public.shipments VALUES (31, 31)", "UPDATE public.customers SET name = 'x' WHERE id = 1");
      SchemaChangeSteps.awaitTopic(s, sup, shipments, rs -> rs.size() >= 31, "a change of the new table");
      SchemaChangeSteps.awaitTopic(s, sup, customers, rs -> rs.size() >= 51, "a change of an old table");
      assertThat(sup.runner().plan().tables()).extracting(t -> t.tableId().toString())
          .containsExactly("whole_db.public.customers", "whole_db.public.orders", "whole_db.public.shipments");
      sup.stop(Duration.ofMinutes(2));
    } finally {
      sup.close();
    }
    assertThat(notices).singleElement().asString().contains("New table(s) [whole_db.public.shipments]");

    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    List<TopicRecords.Decoded> c = TopicRecords.readAll(s.kafka.bootstrapServers(), customers, registry);
    assertThat(c.stream().filter(r -> "r".equals(r.op()))).as("customers snapshotted once").hasSize(50);
    assertThat(c).hasSize(51);
    SchemaChangeSteps.assertEachChangeOnce(c);
    List<TopicRecords.Decoded> sh = TopicRecords.readAll(s.kafka.bootstrapServers(), shipments, registry);
    assertThat(sh.stream().filter(r -> "r".equals(r.op()))).hasSize(30);
    assertThat(sh).hasSize(31);
    assertThat(TopicRecords.readAll(s.kafka.bootstrapServers(), "lake.whole_db.public.orders", registry)).hasSize(80);
    assertThat(registry.subjects()).noneMatch(subject -> subject.contains("tmp_"));
    assertThat(dir.resolve("lake").resolve("whole_db").resolve("shipments").resolve(".hoodie")).isDirectory();
    assertThat(dir.resolve("lake").resolve("whole_db").resolve("tmp_import")).doesNotExist();
  }
}
