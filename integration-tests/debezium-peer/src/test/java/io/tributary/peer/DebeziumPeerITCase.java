package io.tributary.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedPostgres;
import io.tributary.embedded.TempDirs;
import io.tributary.schema.registry.RegisteredSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import io.tributary.schema.wire.ConfluentWireFormat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium peer end to end on real PostgreSQL, Kafka and Apicurio: a 10k-row initial snapshot, 100 streamed
 * changes, a clean stop on stdin, then a resume from the offsets file stopped with SIGTERM. Every record on the topic
 * is decoded through the registry's Confluent-compatible API (magic byte 0, 4-byte schema id, Avro binary).
 */
class DebeziumPeerITCase {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumPeerITCase.class);

  private static final String DB = "peer_it";
  private static final String TABLE = "public.items";
  private static final String SLOT = "peer_it_slot";
  private static final String PUBLICATION = "peer_it_pub";
  /** A prefix with a hyphen: Avro names refuse it unless Debezium adjusts schema names (it does: avro mode). */
  private static final String PREFIX = "peer-it";
  private static final String TOPIC = PREFIX + "." + TABLE;
  private static final int ROWS = 10_000;

  private static Path dir;
  private static EmbeddedPostgres postgres;
  private static EmbeddedKafka kafka;
  private static EmbeddedApicurio apicurio;

  @BeforeAll
  static void startServices() throws Exception {
    dir = Files.createTempDirectory("debezium-peer-it-");
    postgres = EmbeddedPostgres.start();
    kafka = EmbeddedKafka.start();
    apicurio = EmbeddedApicurio.start();
    postgres.createDatabase(DB);
    sql(
        "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, qty int, name varchar(64), note text,"
            + " price numeric(12,2), score double precision, active boolean, updated_at timestamp, version bigint)",
        "ALTER TABLE " + TABLE + " REPLICA IDENTITY FULL",
        "INSERT INTO " + TABLE + " SELECT g, g % 100, 'item-' || g, repeat('n', (g % 50)::int), (g * 1.25)::numeric(12,2),"
            + " g / 3.0, g % 2 = 0, timestamp '2024-01-01 00:00:00' + g * interval '1 second', 1"
            + " FROM generate_series(1, " + ROWS + ") g");
  }

  @AfterAll
  static void stopServices() {
    if (postgres != null) {
      try {
        sql(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'",
            "DROP PUBLICATION IF EXISTS " + PUBLICATION);
      } catch (SQLException e) {
        LOG.warn("Cannot drop the test slot or publication", e);
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {apicurio, kafka, postgres}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("Cannot stop {}", c, e);
        }
      }
    }
    if (dir != null) {
      // keep the peer's log next to the failsafe reports for diagnosis
      try {
        Path log = dir.resolve("work").resolve(DebeziumPeerProcess.LOG_FILE);
        if (Files.exists(log)) {
          Files.copy(log, Path.of("target", "debezium-peer-it.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (java.io.IOException e) {
        LOG.warn("Cannot keep the peer's log", e);
      }
      TempDirs.deleteQuietly(dir);
    }
  }

  @Test
  void snapshotsStreamsStopsAndResumesWithAvroInConfluentWireFormat() throws Exception {
    DebeziumPeerConfig config =
        DebeziumPeerConfig.builder()
            .database(postgres.host(), postgres.port(), DB, postgres.user(), postgres.password())
            .table(TABLE)
            .slotAndPublication(SLOT, PUBLICATION)
            .kafka(kafka.bootstrapServers(), PREFIX)
            .registry(apicurio.ccompatUrl())
            .snapshotMode(DebeziumPeerConfig.SnapshotMode.INITIAL)
            .pollIntervalMs(20)
            .batching(2048, 8192)
            .workDir(dir.resolve("work"))
            .build();
    assertThat(config.registryUrl()).isEqualTo(apicurio.registryApiUrl());

    // 1. initial snapshot, then 100 changes while streaming, then a clean stop on stdin
    try (DebeziumPeerProcess peer = DebeziumPeerProcess.start(config)) {
      PeerEvent started = peer.waitForEvent("started", Duration.ofSeconds(60));
      assertThat(started.getString("topic")).isEqualTo(TOPIC);
      assertThat(started.getLong("pid")).isEqualTo(peer.pid());

      PeerEvent snapshot = peer.waitForEvent("snapshot-complete", Duration.ofMinutes(3));
      long ms = snapshot.getLong("ms");
      assertThat(snapshot.getLong("records")).isEqualTo(ROWS);
      assertThat(ms).isPositive();
      LOG.info(
          "Debezium peer snapshot: {} rows acked by Kafka {} ms after engine start ({} rows/s): {}",
          ROWS, ms, ROWS * 1000L / ms, snapshot);

      peer.waitForEvent("streaming", Duration.ofSeconds(60));
      sql(
          "INSERT INTO " + TABLE + " SELECT g, 7, 'new-' || g, NULL, 9.99, 0.5, true, now()::timestamp, 1"
              + " FROM generate_series(" + (ROWS + 1) + ", " + (ROWS + 40) + ") g",
          "UPDATE " + TABLE + " SET qty = qty + 1, price = price + 1, version = version + 1 WHERE id <= 40",
          "DELETE FROM " + TABLE + " WHERE id BETWEEN 101 AND 120");
      long expected = ROWS + 40 + 40 + 20 + 20; // + one tombstone per delete
      peer.waitForAcked(expected, Duration.ofSeconds(60));

      assertThat(peer.stop(Duration.ofSeconds(60))).isZero();
      PeerEvent stopped = peer.waitForEvent("stopped", Duration.ofSeconds(1));
      assertThat(stopped.getLong("acked")).isEqualTo(expected);
      assertThat(stopped.getLong("records")).isEqualTo(expected);
      assertThat(peer.latestEvent("failed")).isEmpty();
      assertThat(peer.isAlive()).isFalse();
    }
    assertThat(dir.resolve("work").resolve(PeerSettings.OFFSETS_FILE)).isRegularFile();

    SchemaRegistryClient registry = new SchemaRegistryClient(apicurio.ccompatUrl());
    List<Decoded> first = readTopic(registry);
    Map<String, Long> ops =
        first.stream().collect(Collectors.groupingBy(Decoded::op, TreeMap::new, Collectors.counting()));
    assertThat(ops).containsExactlyEntriesOf(new TreeMap<>(Map.of("c", 40L, "d", 20L, "r", (long) ROWS, "tombstone", 20L, "u", 40L)));
    assertThat(first.stream().filter(d -> d.op().equals("r")).map(Decoded::id).collect(Collectors.toSet()))
        .hasSize(ROWS);

    // wire format: magic byte 0, then the id the registry's Confluent-compatible API serves for the subject
    RegisteredSchema valueSchema = registry.latest(TOPIC + "-value").orElseThrow();
    RegisteredSchema keySchema = registry.latest(TOPIC + "-key").orElseThrow();
    Decoded one = first.stream().filter(d -> d.op().equals("r") && d.id() == 8).findFirst().orElseThrow();
    assertThat(one.rawValue[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
    assertThat(one.valueSchemaId).isEqualTo(valueSchema.id());
    assertThat(one.keySchemaId).isEqualTo(keySchema.id());
    assertThat(first.stream().map(d -> d.valueSchemaId).filter(id -> id != null).distinct()).containsExactly(valueSchema.id());

    GenericRecord after = (GenericRecord) one.value.get("after");
    assertThat(one.value.get("before")).isNull();
    assertThat(((GenericRecord) one.key).get("id")).isEqualTo(8L);
    assertThat(after.get("id")).isEqualTo(8L);
    assertThat(after.get("qty")).isEqualTo(8);
    assertThat(after.get("name").toString()).isEqualTo("item-8");
    assertThat(after.get("note").toString()).isEqualTo("nnnnnnnn");
    assertThat(decimal(after, "price")).isEqualByComparingTo("10.00");
    assertThat((Double) after.get("score")).isCloseTo(8 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(after.get("active")).isEqualTo(true);
    // timestamp without time zone: Debezium's default MicroTimestamp, microseconds since the epoch
    assertThat(after.get("updated_at")).isEqualTo((1_704_067_200L + 8) * 1_000_000L);
    assertThat(after.get("version")).isEqualTo(1L);
    assertThat(((GenericRecord) one.value.get("source")).get("snapshot").toString()).isIn("true", "first", "last");

    Decoded update = first.stream().filter(d -> d.op().equals("u") && d.id() == 8).findFirst().orElseThrow();
    GenericRecord before = (GenericRecord) update.value.get("before");
    assertThat(before).as("REPLICA IDENTITY FULL gives full before-images").isNotNull();
    assertThat(before.get("qty")).isEqualTo(8);
    assertThat(((GenericRecord) update.value.get("after")).get("qty")).isEqualTo(9);
    assertThat(decimal((GenericRecord) update.value.get("after"), "price")).isEqualByComparingTo("11.00");
    Decoded delete = first.stream().filter(d -> d.op().equals("d")).findFirst().orElseThrow();
    assertThat(delete.value.get("after")).isNull();
    assertThat(((GenericRecord) delete.value.get("before")).get("name").toString()).startsWith("item-");

    // 2. changes while the peer is down, then a resume from the offsets file (no second snapshot), stopped by SIGTERM
    sql("INSERT INTO " + TABLE + " SELECT g, 1, 'late-' || g, NULL, 1.00, 1.0, false, now()::timestamp, 1"
        + " FROM generate_series(20001, 20005) g");
    try (DebeziumPeerProcess peer = DebeziumPeerProcess.start(config)) {
      peer.waitForEvent("started", Duration.ofSeconds(60));
      peer.waitForAcked(5, Duration.ofSeconds(90));
      int code = peer.terminate(Duration.ofSeconds(60));
      assertThat(code).as("exit code after SIGTERM").isIn(0, 143);
      PeerEvent stopped = peer.waitForEvent("stopped", Duration.ofSeconds(1));
      assertThat(stopped.getLong("acked")).isEqualTo(5);
      assertThat(peer.latestEvent("snapshot-complete")).isEmpty();
    }
    List<Decoded> all = readTopic(registry);
    List<Decoded> resumed = all.subList(first.size(), all.size());
    assertThat(resumed).extracting(Decoded::op).containsOnly("c");
    assertThat(resumed).extracting(Decoded::id).containsExactlyInAnyOrder(20001L, 20002L, 20003L, 20004L, 20005L);
  }

  @Test
  void reportsAFailureOnStdoutAndExitsNonZero() {
    DebeziumPeerConfig config =
        DebeziumPeerConfig.builder()
            .database(postgres.host(), postgres.port(), "no_such_database", postgres.user(), postgres.password())
            .table(TABLE)
            .slotAndPublication("peer_it_failing_slot", "peer_it_failing_pub")
            .kafka(kafka.bootstrapServers(), "peer-it-failing")
            .registry(apicurio.ccompatUrl())
            .workDir(dir.resolve("failing"))
            .build();
    try (DebeziumPeerProcess peer = DebeziumPeerProcess.start(config)) {
      assertThatThrownBy(() -> peer.waitForEvent("snapshot-complete", Duration.ofMinutes(2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the Debezium peer failed while waiting for event 'snapshot-complete'")
          .hasMessageContaining("no_such_database");
      assertThat(peer.stop(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(peer.waitForEvent("stopped", Duration.ofSeconds(1)).getLong("acked")).isZero();
    }
  }

  private static BigDecimal decimal(GenericRecord r, String field) {
    Schema s = r.getSchema().getField(field).schema();
    if (s.getType() == Schema.Type.UNION) {
      s = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
    Object scale = s.getObjectProp("scale");
    ByteBuffer b = ((ByteBuffer) r.get(field)).duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new BigDecimal(new BigInteger(bytes), ((Number) scale).intValue());
  }

  /** One record of the topic, decoded; value null for a tombstone (op "tombstone"). */
  private static final class Decoded {
    final int keySchemaId;
    final Integer valueSchemaId;
    final GenericRecord key;
    final GenericRecord value;
    final byte[] rawValue;

    Decoded(int keySchemaId, Integer valueSchemaId, GenericRecord key, GenericRecord value, byte[] rawValue) {
      this.keySchemaId = keySchemaId;
      this.valueSchemaId = valueSchemaId;
      this.key = key;
      this.value = value;
      this.rawValue = rawValue;
    }

    String op() {
      return value == null ? "tombstone" : value.get("op").toString();
    }

    long id() {
      return (Long) key.get("id");
    }
  }

  /** Every record of the topic from the beginning, in offset order (the topic has one partition). */
  private static List<Decoded> readTopic(SchemaRegistryClient registry) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    ConfluentAvroDeserializer keys = new ConfluentAvroDeserializer(registry::getById);
    ConfluentAvroDeserializer values = new ConfluentAvroDeserializer(registry::getById);
    List<Decoded> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(TOPIC, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(TOPIC, i.partition())));
      assertThat(parts).hasSize(1);
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      Set<Long> offsets = new HashSet<>();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("topic read to its end within 2 minutes").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          assertThat(offsets.add(r.offset())).isTrue();
          byte[] v = r.value();
          out.add(
              new Decoded(
                  ConfluentWireFormat.schemaId(r.key()),
                  v == null ? null : ConfluentWireFormat.schemaId(v),
                  keys.deserialize(r.key()),
                  v == null ? null : values.deserialize(v),
                  v));
        }
      }
    }
    return out;
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = postgres.connect(DB); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
