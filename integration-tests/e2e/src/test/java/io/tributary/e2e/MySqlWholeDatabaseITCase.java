package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedMariaDb;
import io.tributary.runtime.PipelineSupervisor;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-database MariaDB pipeline ({@code db\..*} minus an exclusion): a table created while it runs is found by
 * the runner's table discovery and picked up with a savepoint restart; Flink CDC's newly-added-table scan snapshots
 * only that table, the others lose and repeat nothing.
 */
class MySqlWholeDatabaseITCase {
  @TempDir(cleanup = CleanupMode.NEVER) Path dir;

  @AfterEach
  void deleteDir() throws InterruptedException {
    SchemaChangeSteps.deleteWhenQuiet(dir);
  }

  @Test
  void aTableCreatedWhileRunningIsSnapshottedAloneAndStreamed() throws Exception {
    Services s = Services.get();
    try (EmbeddedMariaDb mariadb = EmbeddedMariaDb.start()) {
      String db = "mwd";
      mariadb.createDatabase(db);
      mariadb.execute(db,
          "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
          "CREATE TABLE tmp_import (id INT PRIMARY KEY)",
          "INSERT INTO customers VALUES (1, 'a'), (2, 'b'), (3, 'c')",
          "INSERT INTO tmp_import VALUES (1)");
      String yaml = """
          pipeline:
            name: mysql-whole-db
            parallelism: 1
            checkpoint.interval: 1s
          source:
            type: mysql
            hostname: 127.0.0.1
            port: ${env:MYSQL_PORT}
            username: ${env:MYSQL_USER}
            password: ${env:MYSQL_PASSWORD}
            tables: ["mwd\\\\..*"]
            tables.exclude: ["mwd\\\\.tmp_.*"]
          schema:
            registry.url: ${env:REGISTRY}
          sinks:
            - type: kafka
              bootstrap.servers: ${env:KAFKA}
              topic: mwd.${database}.${table}
          """;
      Map<String, String> env = new HashMap<>(Pipelines.env(s, dir.resolve("lake")));
      env.put("MYSQL_PORT", Integer.toString(mariadb.port()));
      env.put("MYSQL_USER", mariadb.rootUser());
      env.put("MYSQL_PASSWORD", mariadb.rootPassword());
      List<String> notices = new ArrayList<>();
      PipelineSupervisor sup = PipelineSupervisor.start(Pipelines.plan(yaml, env, dir), FactoryRegistry.load(),
          dir.resolve("state"), 1, notices::add, Duration.ofSeconds(2));
      String customers = "mwd.mwd.customers";
      String shipments = "mwd.mwd.shipments";
      try {
        SchemaChangeSteps.awaitTopic(s, sup, customers, rs -> rs.size() >= 3, "the customers snapshot");
        mariadb.execute(db,
            "CREATE TABLE shipments (id INT PRIMARY KEY, customer INT NOT NULL)",
            "INSERT INTO shipments VALUES (1, 1), (2, 2)",
            "CREATE TABLE tmp_scratch (id INT PRIMARY KEY)");
        SchemaChangeSteps.awaitTopic(s, sup, shipments, rs -> rs.size() >= 2, "the new table's snapshot");
        mariadb.execute(db, "INSERT INTO shipments VALUES (3, 3)", "UPDATE customers SET name = 'x' WHERE id = 1");
        SchemaChangeSteps.awaitTopic(s, sup, shipments, rs -> rs.size() >= 3, "a change of the new table");
        SchemaChangeSteps.awaitTopic(s, sup, customers, rs -> rs.size() >= 4, "a change of an old table");
        sup.stop(Duration.ofMinutes(2));
      } finally {
        sup.close();
      }
      assertThat(notices).singleElement().asString().contains("New table(s) [mwd.shipments]");
      SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
      List<TopicRecords.Decoded> c = TopicRecords.readAll(s.kafka.bootstrapServers(), customers, registry);
      assertThat(c.stream().filter(r -> "r".equals(r.op()))).as("customers snapshotted once").hasSize(3);
      assertThat(c).hasSize(4);
      SchemaChangeSteps.assertEachChangeOnce(c);
      List<TopicRecords.Decoded> sh = TopicRecords.readAll(s.kafka.bootstrapServers(), shipments, registry);
      assertThat(sh).hasSize(3);
      SchemaChangeSteps.assertEachChangeOnce(sh);
      assertThat(registry.subjects()).noneMatch(subject -> subject.startsWith("mwd.") && subject.contains("tmp_"));
    }
  }
}
