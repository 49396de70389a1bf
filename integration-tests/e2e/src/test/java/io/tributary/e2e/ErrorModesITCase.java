package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.errors.ChangeValidationException;
import io.tributary.runtime.progress.ProgressMetrics;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.source.postgres.PostgresSlots;
import io.tributary.spark.HudiSparkReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code errors.mode} fail, skip and dlq end to end against real PostgreSQL, Kafka, Apicurio and Hudi (read back with
 * Spark): a {@code numeric(10,2)} column holding PostgreSQL's {@code 'NaN'}, which no Avro decimal can hold, arrives
 * between good rows. Per mode: fail stops the job with a message naming table, column and stage while Kafka and Hudi
 * hold only the rows before it; skip delivers the good rows around it, counts it and logs it; dlq delivers the good
 * rows and writes the change, raw NaN included, to the dead-letter topic with its headers. A Hudi-only pipeline with
 * {@code errors.dlq.bootstrap.servers} dead-letters a bad snapshot row. The Hudi tables of all tests are read in one
 * Spark run at the end (one child JVM instead of four).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorModesITCase {
  private static final String TABLE = "CREATE TABLE public.payments (id bigint PRIMARY KEY, note text NOT NULL,"
      + " amount numeric(10,2))";

  /** What it means when the NaN row is not caught: the source handed it on as a valid value (or NULL). */
  private static final String NAN_PASSED = "the NaN row passed validation: the PostgreSQL source must hand NaN in a"
      + " numeric column on as an InvalidValue (Debezium's precise decimal mode turns it into NULL)";

  @TempDir static Path dir;

  private static Services s;
  private static final List<String> warnings = new CopyOnWriteArrayList<>();
  private static AbstractAppender appender;
  /** Hudi table path -> the ids it must hold, checked by the last test. */
  private static final Map<Path, List<Long>> expectedLake = new LinkedHashMap<>();
  private static final List<String> slots = new ArrayList<>();

  @BeforeAll
  static void start() {
    s = Services.get();
    appender =
        new AbstractAppender("errors-it-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            warnings.add(event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    String logger = io.tributary.runtime.errors.ChangeValidator.class.getName();
    LoggerConfig lc = new LoggerConfig(logger, Level.WARN, true);
    lc.addAppender(appender, Level.WARN, null);
    ctx.getConfiguration().addLogger(logger, lc);
    ctx.updateLoggers();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().removeLogger(io.tributary.runtime.errors.ChangeValidator.class.getName());
    ctx.updateLoggers();
    appender.stop();
    for (String db : slots) {
      String slot = "tributary_errors_it_" + db.substring("errors_".length());
      PostgresSlots.drop(s.postgres.jdbcUrl(db), s.postgres.user(), s.postgres.password(), slot, slot);
    }
  }

  private static String yaml(String mode, String db, boolean kafkaSink, String errors) {
    return """
        pipeline:
          name: errors-it-%s
          parallelism: 1
          checkpoint.interval: 1s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: %s
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: [public.payments]
        schema:
          registry.url: ${env:REGISTRY}
        sinks:
        %s  - type: hudi
            path: ${env:LAKE}/%s/${table}
            table.type: copy-on-write
        errors:
        %s""".formatted(mode, db,
        kafkaSink
            ? "  - type: kafka\n    bootstrap.servers: ${env:KAFKA}\n    topic: errors-it-" + mode + ".${table}\n"
            : "",
        mode, errors.indent(2));
  }

  private static PipelinePlan plan(String mode, String db, boolean kafkaSink, String errors) throws Exception {
    slots.add(db);
    return Pipelines.plan(yaml(mode, db, kafkaSink, errors), Pipelines.env(s, dir.resolve("lake")), dir);
  }

  /** Creates the database with rows 1..3 (good). */
  private static void createDatabase(String db, String... more) throws Exception {
    List<String> statements = new ArrayList<>(List.of(TABLE, "ALTER TABLE public.payments REPLICA IDENTITY FULL",
        "INSERT INTO public.payments SELECT g, 'row ' || g, g * 1.25 FROM generate_series(1, 3) g"));
    statements.addAll(List.of(more));
    s.createDatabase(db, statements.toArray(new String[0]));
  }

  @Test
  @Order(1)
  void failStopsTheJobNamingTableColumnAndStage() throws Exception {
    String db = "errors_fail";
    createDatabase(db);
    PipelinePlan plan = plan("fail", db, true, "mode: fail\n");
    String topic = "errors-it-fail.payments";
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state-fail"), 1);
    try {
      Pipelines.await(runner, () -> committedKeys(topic).size() >= 3, Duration.ofMinutes(2), "the snapshot in Kafka");
      s.update(db, "INSERT INTO public.payments VALUES (4, 'not a number', 'NaN')");
      s.update(db, "INSERT INTO public.payments VALUES (5, 'after the bad row', 5.00)");
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!runner.isDone() && System.nanoTime() < deadline) {
        assertThat(committedKeys(topic)).as(NAN_PASSED).doesNotContain(4L);
        Thread.sleep(500);
      }
      assertThat(runner.isDone()).as("the job failed (one restart allowed)").isTrue();
      assertThatThrownBy(runner::awaitTermination)
          .satisfies(t -> {
            Optional<ChangeValidationException> cause =
                ExceptionUtils.findThrowable(t, ChangeValidationException.class);
            assertThat(cause).as("failure cause %s", t).isPresent();
            assertThat(cause.get().getMessage())
                .startsWith("Pipeline errors-it-fail, table errors_fail.public.payments, stage VALIDATE, op c, key"
                    + " {id=4}: column amount (after): ")
                .containsIgnoringCase("NaN")
                .doesNotContain("not a number");
          });
    } finally {
      runner.close();
    }
    assertThat(committedKeys(topic)).containsExactlyInAnyOrder(1L, 2L, 3L);
    expectedLake.put(dir.resolve("lake").resolve("fail").resolve("payments"), List.of(1L, 2L, 3L));
  }

  @Test
  @Order(2)
  void skipDeliversTheGoodRowsCountsAndLogsTheBadOne() throws Exception {
    String db = "errors_skip";
    createDatabase(db);
    PipelinePlan plan = plan("skip", db, true, "mode: skip\n");
    String topic = "errors-it-skip.payments";
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state-skip"), 1);
    try {
      Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 3, Duration.ofMinutes(2), "snapshot");
      s.update(db, "INSERT INTO public.payments VALUES (4, 'not a number', 'NaN')");
      s.update(db, "INSERT INTO public.payments VALUES (5, 'after the bad row', 5.00)");
      Pipelines.await(runner, () -> committedKeys(topic).size() >= 4, Duration.ofMinutes(1), "row 5 in Kafka");
      assertThat(ProgressMetrics.sum("tributary.validate.", ".recordsSkipped")).as(NAN_PASSED).isEqualTo(1);
      assertThat(ProgressMetrics.sum("tributary.table.", ".recordsSkipped")).isEqualTo(1);
      assertThat(ProgressMetrics.sum("tributary.validate.", ".recordsDeadLettered")).isZero();
      runner.stop(Duration.ofMinutes(1));
    } finally {
      runner.close();
    }
    assertThat(committedKeys(topic)).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
    assertThat(warnings).filteredOn(w -> w.contains("errors-it-skip"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Skipped a change (errors.mode skip): pipeline errors-it-skip, table errors_skip.public.payments,"
            + " key {id=4}, op c, stage VALIDATE: column amount (after): ")
        .doesNotContain("not a number");
    expectedLake.put(dir.resolve("lake").resolve("skip").resolve("payments"), List.of(1L, 2L, 3L, 5L));
  }

  @Test
  @Order(3)
  void dlqDeliversTheGoodRowsAndDeadLettersTheBadOne() throws Exception {
    String db = "errors_dlq";
    createDatabase(db);
    PipelinePlan plan = plan("dlq", db, true, "mode: dlq\ndlq.topic: errors-it-dlq.dead-letters\n");
    String topic = "errors-it-dlq.payments";
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state-dlq"), 1);
    try {
      Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 3, Duration.ofMinutes(2), "snapshot");
      s.update(db, "INSERT INTO public.payments VALUES (4, 'not a number', 'NaN')");
      s.update(db, "INSERT INTO public.payments VALUES (5, 'after the bad row', 5.00)");
      Pipelines.await(runner, () -> committedKeys(topic).size() >= 4, Duration.ofMinutes(1), "row 5 in Kafka");
      assertThat(ProgressMetrics.sum("tributary.validate.", ".recordsDeadLettered")).as(NAN_PASSED).isEqualTo(1);
      runner.stop(Duration.ofMinutes(1));
    } finally {
      runner.close();
    }
    assertThat(committedKeys(topic)).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
    List<ConsumerRecord<byte[], byte[]>> letters = readCommitted("errors-it-dlq.dead-letters");
    assertThat(letters).hasSize(1);
    assertDeadLetter(letters.get(0), "errors-it-dlq", "errors_dlq.public.payments", "c", 4L);
    expectedLake.put(dir.resolve("lake").resolve("dlq").resolve("payments"), List.of(1L, 2L, 3L, 5L));
  }

  @Test
  @Order(4)
  void hudiOnlyPipelineDeadLettersABadSnapshotRowToItsOwnBroker() throws Exception {
    String db = "errors_lake";
    createDatabase(db, "INSERT INTO public.payments VALUES (4, 'not a number', 'NaN'), (5, 'after', 5.00)");
    String dlqTopic = "errors-it-lake.dead-letters";
    PipelinePlan plan = plan("lake", db, false,
        "mode: dlq\ndlq.topic: " + dlqTopic + "\ndlq.bootstrap.servers: ${env:KAFKA}\n");
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state-lake"), 1);
    try {
      Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 5, Duration.ofMinutes(2), "snapshot");
      Pipelines.await(runner, () -> ProgressMetrics.sum("tributary.validate.", ".recordsDeadLettered") >= 1,
          Duration.ofSeconds(20), "the dead letter (" + NAN_PASSED + " if it never comes)");
      runner.stop(Duration.ofMinutes(1));
    } finally {
      runner.close();
    }
    List<ConsumerRecord<byte[], byte[]>> letters = readCommitted(dlqTopic);
    assertThat(letters).hasSize(1);
    assertDeadLetter(letters.get(0), "errors-it-lake", "errors_lake.public.payments", "r", 4L);
    expectedLake.put(dir.resolve("lake").resolve("lake").resolve("payments"), List.of(1L, 2L, 3L, 5L));
  }

  @Test
  @Order(5)
  void hudiTablesHoldExactlyTheGoodRows() {
    assertThat(expectedLake).as("the pipelines above ran").isNotEmpty();
    Map<Path, List<Map<String, Object>>> lake =
        HudiSparkReader.readAll(new ArrayList<>(expectedLake.keySet()), Map.of());
    expectedLake.forEach((path, ids) -> {
      List<Long> actual = new ArrayList<>();
      for (Map<String, Object> row : lake.get(path)) {
        actual.add(((Number) row.get("id")).longValue());
        assertThat(row.get("amount")).as("row %s of %s", row.get("id"), path).isNotNull();
      }
      assertThat(actual).as("ids in %s", path).containsExactlyElementsOf(ids);
    });
  }

  private static void assertDeadLetter(
      ConsumerRecord<byte[], byte[]> r, String pipeline, String table, String op, long id) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers)
        .containsEntry("tributary.pipeline", pipeline)
        .containsEntry("tributary.table", table)
        .containsEntry("tributary.stage", "VALIDATE");
    assertThat(headers.get("tributary.reason")).startsWith("column amount (after): ").containsIgnoringCase("NaN");
    JsonNode json = new ObjectMapper().readTree(r.value());
    assertThat(json.get("table").asText()).isEqualTo(table);
    assertThat(json.get("op").asText()).isEqualTo(op);
    assertThat(json.get("before").isNull()).isTrue();
    assertThat(json.get("after").get("id").asLong()).isEqualTo(id);
    assertThat(json.get("after").get("note").asText()).isEqualTo("not a number");
    assertThat(json.get("after").get("amount").asText()).isEqualTo("NaN");
    assertThat(json.get("invalid_columns")).extracting(JsonNode::asText).containsExactly("amount");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(table);
  }

  /** The ids of the committed (read_committed) change records of a topic, in order, tombstones left out. */
  private static List<Long> committedKeys(String topic) {
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    List<Long> ids = new ArrayList<>();
    try {
      for (TopicRecords.Decoded d : TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry)) {
        if (d.value() != null) {
          ids.add(((Number) d.after().get("id")).longValue());
        }
      }
    } catch (RuntimeException e) {
      return List.of(); // topic not there yet, or nothing committed
    }
    return ids;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
