package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedMariaDb;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelineSupervisor;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL in a captured MariaDB 10.11 table while the pipeline runs, per {@code pipeline.schema.change.behavior}, against
 * real MariaDB (binlog ROW, the DDL text comes from the binlog), Kafka, Apicurio and (for evolve) a Hudi
 * MERGE_ON_READ table read back with Spark.
 */
class MySqlSchemaChangeITCase {
  private static EmbeddedMariaDb mariadb;

  @TempDir(cleanup = CleanupMode.NEVER) Path dir;

  @AfterEach
  void deleteDir() throws InterruptedException {
    SchemaChangeSteps.deleteWhenQuiet(dir);
  }

  @BeforeAll
  static void start() {
    mariadb = EmbeddedMariaDb.start();
  }

  @AfterAll
  static void stop() {
    if (mariadb != null) {
      mariadb.close();
    }
  }

  private static String yaml(String name, String db, String behavior, String compatibility, boolean hudi) {
    return """
        pipeline:
          name: %s
          parallelism: 1
          checkpoint.interval: 1s
          schema.change.behavior: %s
        source:
          type: mysql
          hostname: 127.0.0.1
          port: ${env:MYSQL_PORT}
          username: ${env:MYSQL_USER}
          password: ${env:MYSQL_PASSWORD}
          tables: [%s.items]
        schema:
          registry.url: ${env:REGISTRY}
          compatibility: %s
        sinks:
          - type: kafka
            bootstrap.servers: ${env:KAFKA}
            topic: %s.${database}.${table}
        """.formatted(name, behavior, db, compatibility, name)
        + (hudi ? """
          - type: hudi
            path: ${env:LAKE}/%s/${table}
            table.type: merge-on-read
        """.formatted(name) : "");
  }

  private Map<String, String> env(Services s) {
    Map<String, String> env = new HashMap<>(Pipelines.env(s, dir.resolve("lake")));
    env.put("MYSQL_PORT", Integer.toString(mariadb.port()));
    env.put("MYSQL_USER", mariadb.rootUser());
    env.put("MYSQL_PASSWORD", mariadb.rootPassword());
    return env;
  }

  private static void createItems(String db) {
    mariadb.createDatabase(db);
    StringBuilder rows = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      rows.append(i > 1 ? "," : "").append("(").append(i).append(", 'item ").append(i).append("', ").append(i).append(")");
    }
    mariadb.execute(db,
        "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT NOT NULL)",
        "INSERT INTO items VALUES " + rows);
  }

  private PipelineSupervisor start(String yaml, Services s) throws Exception {
    return PipelineSupervisor.start(Pipelines.plan(yaml, env(s), dir), FactoryRegistry.load(), dir.resolve("state"), 1,
        line -> { });
  }

  @Test
  void evolveRegistersANewVersionQuotingTheDdlAndHudiGainsTheColumn() throws Exception {
    Services s = Services.get();
    String db = "msc_evolve";
    createItems(db);
    String yaml = yaml("msc-evolve", db, "evolve", "BACKWARD", true);
    String topic = "msc-evolve." + db + ".items";
    List<String> notices = new ArrayList<>();
    PipelineSupervisor sup = PipelineSupervisor.start(Pipelines.plan(yaml, env(s), dir), FactoryRegistry.load(),
        dir.resolve("state"), 1, notices::add);
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      mariadb.execute(db, "UPDATE items SET qty = qty + 1 WHERE id <= 10");
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 110, "the updates");
      mariadb.execute(db, "ALTER TABLE items ADD COLUMN note VARCHAR(40) NULL");
      mariadb.execute(db, "INSERT INTO items VALUES (1000, 'after', 1, 'hello')");
      mariadb.execute(db, "UPDATE items SET note = 'noted' WHERE id = 5");
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 112, "the changes after the DDL");
      sup.stop(Duration.ofMinutes(2));
    } finally {
      sup.close();
    }
    assertThat(notices).singleElement().asString()
        .contains("Schema change in table msc_evolve.items").contains("note")
        .contains("DDL: ALTER TABLE items ADD COLUMN note VARCHAR(40) NULL");

    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    List<TopicRecords.Decoded> records = TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry);
    assertThat(records).hasSize(112);
    SchemaChangeSteps.assertEachChangeOnce(records);
    int v1 = records.get(0).valueSchemaId();
    assertThat(records.subList(0, 110)).allSatisfy(r -> assertThat(r.valueSchemaId()).isEqualTo(v1));
    assertThat(records.subList(110, 112)).allSatisfy(r -> assertThat(r.valueSchemaId()).isNotEqualTo(v1));
    assertThat(records.get(110).after().get("note").toString()).isEqualTo("hello");
    assertThat(registry.latest(topic + "-value").orElseThrow().version()).isEqualTo(2);

    PipelinePlan now = Pipelines.plan(yaml, env(s), dir);
    List<TableComparison> results = ConsistencyCheck.run(now.definition(), now.tables(),
        ConsistencyCheck.jdbc(mariadb.jdbcUrl(db), mariadb.rootUser(), mariadb.rootPassword()));
    assertThat(results).hasSize(2).allSatisfy(c -> {
      assertThat(c.examples()).isEmpty();
      assertThat(c.matches()).isTrue();
    });
  }

  @Test
  void incompatibleRenameStopsBeforeItsFirstRecordAndResumesOnceResolved() throws Exception {
    Services s = Services.get();
    String db = "msc_rename";
    createItems(db);
    String topic = "msc-rename." + db + ".items";
    PipelineSupervisor sup = start(yaml("msc-rename", db, "evolve", "BACKWARD", false), s);
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      Thread.sleep(3000); // a checkpoint past the snapshot
      mariadb.execute(db, "ALTER TABLE items RENAME COLUMN qty TO quantity");
      mariadb.execute(db, "INSERT INTO items VALUES (1000, 'after', 7)");
      SchemaChangeSteps.awaitEnd(sup);
    } finally {
      sup.close();
    }
    Throwable failure = catchThrowable(sup::awaitTermination);
    assertThat(failure).isInstanceOf(PipelineSupervisor.SchemaEvolutionException.class);
    assertThat(failure.getMessage())
        .contains("msc_rename.items").contains("quantity").contains("dropped qty")
        .contains("DDL: ALTER TABLE items RENAME COLUMN qty TO quantity")
        .contains(topic + "-value").contains("BACKWARD");
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    assertThat(TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry)).hasSize(100);

    PipelineSupervisor again = start(yaml("msc-rename", db, "evolve", "NONE", false), s);
    List<TopicRecords.Decoded> records;
    try {
      assertThat(again.runner().resumedFrom()).isPresent();
      records = SchemaChangeSteps.awaitTopic(s, again, topic, SchemaChangeSteps.hasKey(1000), "the insert");
      again.stop(Duration.ofMinutes(2));
    } finally {
      again.close();
    }
    SchemaChangeSteps.assertEachChangeOnce(records);
    assertThat(records).hasSize(101);
    assertThat(records.get(100).after().get("quantity")).isEqualTo(7);
  }

  @Test
  void failStopsAtTheDdlAndIgnoreKeepsTheOldSchema() throws Exception {
    Services s = Services.get();
    String db = "msc_fail";
    createItems(db);
    String topic = "msc-fail." + db + ".items";
    PipelineSupervisor sup = start(yaml("msc-fail", db, "fail", "BACKWARD", false), s);
    try {
      SchemaChangeSteps.awaitTopic(s, sup, topic, rs -> rs.size() >= 100, "the snapshot");
      Thread.sleep(3000);
      mariadb.execute(db, "ALTER TABLE items ADD COLUMN note VARCHAR(40) NULL");
      mariadb.execute(db, "INSERT INTO items VALUES (1000, 'after', 7, 'dropped')");
      SchemaChangeSteps.awaitEnd(sup);
    } finally {
      sup.close();
    }
    assertThat(catchThrowable(sup::awaitTermination))
        .hasStackTraceContaining("Schema change in table msc_fail.items")
        .hasStackTraceContaining("DDL: ALTER TABLE items ADD COLUMN note VARCHAR(40) NULL")
        .hasStackTraceContaining("schema.change.behavior is fail");
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    assertThat(TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry)).hasSize(100);

    // the owner chooses ignore: the pipeline resumes from its checkpoint, planned with the table as it is now (note
    // included), and keeps that schema through the next DDL
    PipelineSupervisor again = start(yaml("msc-fail", db, "ignore", "BACKWARD", false), s);
    List<TopicRecords.Decoded> records;
    try {
      records = SchemaChangeSteps.awaitTopic(s, again, topic, SchemaChangeSteps.hasKey(1000), "the insert");
      mariadb.execute(db, "ALTER TABLE items ADD COLUMN extra INT NULL");
      mariadb.execute(db, "INSERT INTO items VALUES (1001, 'later', 8, 'kept', 42)");
      records = SchemaChangeSteps.awaitTopic(s, again, topic, SchemaChangeSteps.hasKey(1001), "the insert after ignore");
      again.stop(Duration.ofMinutes(2));
    } finally {
      again.close();
    }
    assertThat(again.schemaChanges()).isEmpty();
    SchemaChangeSteps.assertEachChangeOnce(records);
    assertThat(records).hasSize(102);
    TopicRecords.Decoded first = records.get(100);
    assertThat(first.after().get("note").toString()).isEqualTo("dropped");
    TopicRecords.Decoded ignored = records.get(101);
    assertThat(ignored.valueSchemaId()).as("same schema after the ignored DDL").isEqualTo(first.valueSchemaId());
    assertThat(ignored.after().getSchema().getField("extra")).isNull();
    assertThat(ignored.after().get("note").toString()).isEqualTo("kept");
  }
}
