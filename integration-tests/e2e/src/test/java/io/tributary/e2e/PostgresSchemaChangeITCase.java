package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelineSupervisor;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
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
 * DDL in a captured PostgreSQL table while the pipeline runs, per {@code pipeline.schema.change.behavior}, against
 * real PostgreSQL, Kafka, Apicurio and (for evolve) a Hudi MERGE_ON_READ table read back with Spark.
 */
class PostgresSchemaChangeITCase {
  @TempDir(cleanup = CleanupMode.NEVER) Path dir;

  @AfterEach
  void deleteDir() throws InterruptedException {
    SchemaChangeSteps.deleteWhenQuiet(dir);
  }

  private static String yaml(String name, String db, String behavior, String compatibility, boolean hudi) {
    return """
        pipeline:
          name: %s
          parallelism: 1
          checkpoint.interval: 1s
          schema.change.behavior: %s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: %s
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: [public.items]
        schema:
          registry.url: ${env:REGISTRY}
          compatibility: %s
        sinks:
          - type: kafka
            bootstrap.servers: ${env:KAFKA}
            topic: %s.${schema}.${table}
        """.formatted(name, behavior, db, compatibility, name)
        + (hudi ? """
          - type: hudi
            path: ${env:LAKE}/%s/${table}
            table.type: merge-on-read
        """.formatted(name) : "");
  }

  private void createItems(Services s, String db) throws Exception {
    s.createDatabase(db,
        "CREATE TABLE public.items (id integer PRIMARY KEY, name varchar(40) NOT NULL, qty integer NOT NULL)",
        "ALTER TABLE public.items REPLICA IDENTITY FULL",
        "INSERT INTO public.items SELECT g, 'item ' || g, g FROM generate_series(1, 100) g");
  }

  @Test
  void evolveRegistersANewVersionAndHudiGainsTheColumn() throws Exception {
    Services s = Services.get();
    String db = "sc_evolve";
    createItems(s, db);
    String yaml = yaml("sc-evolve", db, "evolve", "BACKWARD", true);
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    String topic = "sc-evolve.public.items";
    List<String> notices = new ArrayList<>();
    PipelineSupervisor sup = PipelineSupervisor.start(
        Pipelines.plan(yaml, env, dir), FactoryRegistry.load(), dir.resolve("state"), 1, notices::add);
    List<TopicRecords.Decoded> records;
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      s.execute(db, "UPDATE public.items SET qty = qty + 1 WHERE id <= 10");
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 110, "the updates");
      s.execute(db, "ALTER TABLE public.items ADD COLUMN note varchar(40)");
      s.execute(db, "INSERT INTO public.items VALUES (1000, 'after', 1, 'hello')");
      s.execute(db, "UPDATE public.items SET note = 'noted' WHERE id = 5");
      s.execute(db, "UPDATE public.items SET qty = 0 WHERE id = 6");
      records = SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 113, "the changes after the DDL");
      sup.stop(Duration.ofMinutes(2));
    } finally {
      sup.close();
    }
    assertThat(notices).singleElement().asString()
        .contains("Schema change in table sc_evolve.public.items").contains("note (character varying(40))");

    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    records = TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry);
    assertThat(records).hasSize(113);
    SchemaChangeSteps.assertEachChangeOnce(records);
    int v1 = records.get(0).valueSchemaId();
    List<TopicRecords.Decoded> afterDdl = records.subList(110, 113);
    assertThat(records.subList(0, 110)).allSatisfy(r -> assertThat(r.valueSchemaId()).isEqualTo(v1));
    assertThat(afterDdl).allSatisfy(r -> {
      assertThat(r.valueSchemaId()).as("the first change after the DDL carries the new schema id").isNotEqualTo(v1);
      assertThat(r.after().getSchema().getField("note")).isNotNull();
    });
    assertThat(afterDdl.get(0).after().get("note").toString()).isEqualTo("hello");
    assertThat(afterDdl.get(1).after().get("note").toString()).isEqualTo("noted");
    assertThat(registry.latest(topic + "-value").orElseThrow().version()).isEqualTo(2);

    // Kafka and the evolved Hudi table (Spark snapshot query) hold what the database holds, older rows reading null
    PipelinePlan now = Pipelines.plan(yaml, env, dir);
    List<TableComparison> results = ConsistencyCheck.run(now.definition(), now.tables(),
        ConsistencyCheck.jdbc(s.postgres.jdbcUrl(db), s.postgres.user(), s.postgres.password()));
    assertThat(results).hasSize(2).allSatisfy(c -> {
      assertThat(c.examples()).isEmpty();
      assertThat(c.matches()).isTrue();
    });
  }

  @Test
  void incompatibleChangeStopsBeforeItsFirstRecordAndResumesOnceResolved() throws Exception {
    Services s = Services.get();
    String db = "sc_rename";
    createItems(s, db);
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    String topic = "sc-rename.public.items";
    PipelineSupervisor sup = PipelineSupervisor.start(
        Pipelines.plan(yaml("sc-rename", db, "evolve", "BACKWARD", false), env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, line -> { });
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      Thread.sleep(3000); // a checkpoint past the snapshot
      s.execute(db, "ALTER TABLE public.items RENAME COLUMN qty TO quantity");
      s.execute(db, "INSERT INTO public.items VALUES (1000, 'after', 7)");
      SchemaChangeSteps.awaitEnd(sup);
    } finally {
      sup.close();
    }
    Throwable failure = catchThrowable(sup::awaitTermination);
    assertThat(failure).isInstanceOf(PipelineSupervisor.SchemaEvolutionException.class);
    System.out.println("refused evolution: " + failure.getMessage());
    assertThat(failure.getMessage())
        .contains("sc_rename.public.items")
        .contains("quantity")
        .contains("dropped qty")
        .contains(topic + "-value")
        .contains("BACKWARD");
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    assertThat(TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry))
        .as("nothing of the new shape was written").hasSize(100).noneMatch(r -> r.op().equals("c"));
    assertThat(registry.latest(topic + "-value").orElseThrow().version()).isEqualTo(1);

    // the owner resolves it (accepts the breaking change): the pipeline resumes from its last checkpoint
    PipelineSupervisor again = PipelineSupervisor.start(
        Pipelines.plan(yaml("sc-rename", db, "evolve", "NONE", false), env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, line -> { });
    List<TopicRecords.Decoded> records;
    try {
      assertThat(again.runner().resumedFrom()).isPresent();
      s.execute(db, "UPDATE public.items SET quantity = 8 WHERE id = 1000");
      records = SchemaChangeSteps.awaitTopic(s, again, topic, rs -> rs.size() >= 102, "the changes after the rename");
      again.stop(Duration.ofMinutes(2));
    } finally {
      again.close();
    }
    SchemaChangeSteps.assertEachChangeOnce(records);
    assertThat(records).hasSize(102);
    assertThat(records.get(100).op()).isEqualTo("c");
    assertThat(records.get(100).after().get("quantity")).isEqualTo(7);
    assertThat(records.get(101).after().get("quantity")).isEqualTo(8);
    assertThat(registry.latest(topic + "-value").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void failStopsOnAnyChangeAndResumesOnceTheBehaviorAllowsIt() throws Exception {
    Services s = Services.get();
    String db = "sc_fail";
    createItems(s, db);
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    String topic = "sc-fail.public.items";
    PipelineSupervisor sup = PipelineSupervisor.start(
        Pipelines.plan(yaml("sc-fail", db, "fail", "BACKWARD", false), env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, line -> { });
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      Thread.sleep(3000);
      s.execute(db, "ALTER TABLE public.items ADD COLUMN note varchar(40)");
      s.execute(db, "INSERT INTO public.items VALUES (1000, 'after', 7, 'hi')");
      SchemaChangeSteps.awaitEnd(sup);
    } finally {
      sup.close();
    }
    Throwable failure = catchThrowable(sup::awaitTermination);
    assertThat(failure).hasStackTraceContaining("Schema change in table sc_fail.public.items: column(s) added note")
        .hasStackTraceContaining("schema.change.behavior is fail");
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    assertThat(TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry)).hasSize(100);

    PipelineSupervisor again = PipelineSupervisor.start(
        Pipelines.plan(yaml("sc-fail", db, "evolve", "BACKWARD", false), env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, line -> { });
    List<TopicRecords.Decoded> records;
    try {
      records = SchemaChangeSteps.awaitTopic(s, again, topic, SchemaChangeSteps.hasKey(1000), "the insert after the DDL");
      again.stop(Duration.ofMinutes(2));
    } finally {
      again.close();
    }
    SchemaChangeSteps.assertEachChangeOnce(records);
    assertThat(records).hasSize(101);
    assertThat(records.get(100).after().get("note").toString()).isEqualTo("hi");
  }

  @Test
  void ignoreKeepsTheOldSchema() throws Exception {
    Services s = Services.get();
    String db = "sc_ignore";
    createItems(s, db);
    Map<String, String> env = Pipelines.env(s, dir.resolve("lake"));
    String topic = "sc-ignore.public.items";
    PipelineSupervisor sup = PipelineSupervisor.start(
        Pipelines.plan(yaml("sc-ignore", db, "ignore", "BACKWARD", false), env, dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, line -> { });
    List<TopicRecords.Decoded> records;
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      s.execute(db, "ALTER TABLE public.items ADD COLUMN note varchar(40)");
      s.execute(db, "INSERT INTO public.items VALUES (1000, 'after', 7, 'dropped')");
      records = SchemaChangeSteps.awaitTopic(s, sup, topic, SchemaChangeSteps.hasKey(1000), "the insert after the DDL");
      sup.stop(Duration.ofMinutes(2));
    } finally {
      sup.close();
    }
    TopicRecords.Decoded insert = records.get(records.size() - 1);
    assertThat(insert.valueSchemaId()).isEqualTo(records.get(0).valueSchemaId());
    assertThat(insert.after().getSchema().getField("note")).isNull();
    assertThat(insert.after().get("qty")).isEqualTo(7);
    assertThat(sup.schemaChanges()).isEmpty();
  }
}
