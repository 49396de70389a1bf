package io.tributary.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings the peer hands to Debezium, the Kafka producer and the converters: what a user of the Debezium embedded
 * engine writing Avro to Kafka would choose. Pure functions of a {@link DebeziumPeerConfig}, so they are unit tested
 * without any service.
 */
final class PeerSettings {
  /** Apicurio 3's Kafka Connect Avro converter (from apicurio-registry-utils-converter). */
  static final String APICURIO_AVRO_CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";
  /** Kafka Connect's JSON converter (the fallback format). */
  static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
  /** The engine name: the key of the peer's offsets in the offsets file. */
  static final String ENGINE_NAME = "tributary-debezium-peer";
  /** The offsets file inside the work directory. */
  static final String OFFSETS_FILE = "offsets.dat";

  private PeerSettings() {}

  /**
   * Debezium engine and PostgreSQL connector properties. Choices beyond the peer's options: pgoutput, a publication
   * for the captured table only ({@code publication.autocreate.mode=filtered}), {@code decimal.handling.mode=precise}
   * (NUMERIC as Connect Decimal, Avro {@code bytes}/{@code decimal}), Avro-safe schema and field names, offsets in a
   * file in the work directory. Everything under {@code debezium.} is applied last.
   */
  static Properties engine(DebeziumPeerConfig c) {
    Properties p = new Properties();
    p.setProperty("name", ENGINE_NAME);
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    p.setProperty("offset.storage.file.filename", c.workDir().resolve(OFFSETS_FILE).toString());
    p.setProperty("offset.flush.interval.ms", c.get(DebeziumPeerConfig.OFFSET_FLUSH_INTERVAL_MS));
    p.setProperty("database.hostname", c.get(DebeziumPeerConfig.DATABASE_HOSTNAME));
    p.setProperty("database.port", c.get(DebeziumPeerConfig.DATABASE_PORT));
    p.setProperty("database.dbname", c.get(DebeziumPeerConfig.DATABASE_DBNAME));
    p.setProperty("database.user", c.get(DebeziumPeerConfig.DATABASE_USER));
    p.setProperty("database.password", c.get(DebeziumPeerConfig.DATABASE_PASSWORD));
    p.setProperty("topic.prefix", c.get(DebeziumPeerConfig.TOPIC_PREFIX));
    p.setProperty("table.include.list", c.table());
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", c.get(DebeziumPeerConfig.SLOT_NAME));
    p.setProperty("publication.name", c.get(DebeziumPeerConfig.PUBLICATION_NAME));
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty("snapshot.mode", c.snapshotMode().debeziumName());
    p.setProperty("poll.interval.ms", c.get(DebeziumPeerConfig.POLL_INTERVAL_MS));
    p.setProperty("max.batch.size", c.get(DebeziumPeerConfig.MAX_BATCH_SIZE));
    p.setProperty("max.queue.size", c.get(DebeziumPeerConfig.MAX_QUEUE_SIZE));
    p.setProperty("decimal.handling.mode", "precise");
    // topic.prefix may hold '-', which Avro names refuse; Confluent/Apicurio Avro users set these two
    p.setProperty("schema.name.adjustment.mode", "avro");
    p.setProperty("field.name.adjustment.mode", "avro");
    // deletes are followed by a tombstone (Debezium's default, stated for the record)
    p.setProperty("tombstones.on.delete", "true");
    // the parent drops slot and publication; a restarted peer resumes from its offsets file
    p.setProperty("slot.drop.on.stop", "false");
    c.withPrefix(DebeziumPeerConfig.DEBEZIUM_PREFIX).forEach(p::setProperty);
    return p;
  }

  /**
   * Kafka producer properties: byte-array serializers (the converters produce the bytes), {@code acks=all}, idempotence
   * on, and the batching options under {@code producer.} (defaults {@code linger.ms=5}, {@code batch.size=131072},
   * {@code compression.type=lz4}).
   */
  static Properties producer(DebeziumPeerConfig c) {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.get(DebeziumPeerConfig.KAFKA_BOOTSTRAP_SERVERS));
    p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, ENGINE_NAME);
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.withPrefix(DebeziumPeerConfig.PRODUCER_PREFIX).forEach(p::setProperty);
    return p;
  }

  /** @return the converter class for the configured format */
  static String converterClass(DebeziumPeerConfig c) {
    return c.format() == DebeziumPeerConfig.Format.AVRO ? APICURIO_AVRO_CONVERTER : JSON_CONVERTER;
  }

  /**
   * Converter configuration, the same for key and value (the converter is told which one it is). For Apicurio 3.0.9
   * (property names from its SerdeConfig/SchemaResolverConfig): the core v3 API URL, auto-registration on, ids in the
   * payload rather than in Kafka headers, a 4-byte content id after magic byte 0 (Confluent's wire format; Apicurio's
   * ccompat API serves content ids as schema ids). For JSON: schemas off, decimals as numbers.
   */
  static Map<String, Object> converter(DebeziumPeerConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (c.format() == DebeziumPeerConfig.Format.AVRO) {
      m.put("apicurio.registry.url", c.registryUrl());
      m.put("apicurio.registry.auto-register", "true");
      m.put("apicurio.registry.headers.enabled", "false");
      m.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
      m.put("apicurio.registry.use-id", "contentId");
      // one self-contained schema per subject: without this, Apicurio 3 registers every named record type (Value,
      // Source, ...) as an artifact of its own and the value schema only references them, which consumers that do
      // not resolve references (Tributary's registry client among them) cannot parse
      m.put("apicurio.registry.dereference-schema", "true");
    } else {
      m.put("schemas.enable", "false");
      m.put("decimal.format", "NUMERIC");
    }
    m.putAll(c.withPrefix(DebeziumPeerConfig.CONVERTER_PREFIX));
    return m;
  }
}
