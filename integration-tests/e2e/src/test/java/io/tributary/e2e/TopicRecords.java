package io.tributary.e2e;

import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import io.tributary.schema.wire.ConfluentWireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Every committed record of a topic, decoded through the registry, in offset order per partition. */
final class TopicRecords {
  /** One decoded record; value null for a tombstone. */
  record Decoded(int partition, long offset, int keySchemaId, Integer valueSchemaId, GenericRecord key, GenericRecord value) {
    String op() {
      return value == null ? null : value.get("op").toString();
    }

    GenericRecord after() {
      return value == null ? null : (GenericRecord) value.get("after");
    }

    GenericRecord before() {
      return value == null ? null : (GenericRecord) value.get("before");
    }

    GenericRecord source() {
      return value == null ? null : (GenericRecord) value.get("source");
    }
  }

  private TopicRecords() {}

  static List<Decoded> readAll(String bootstrap, String topic, SchemaRegistryClient registry) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    ConfluentAvroDeserializer d = new ConfluentAvroDeserializer(registry::getById);
    List<Decoded> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("topic " + topic + " not read to its end offsets " + end + " within 2 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          out.add(new Decoded(r.partition(), r.offset(), ConfluentWireFormat.schemaId(r.key()),
              r.value() == null ? null : ConfluentWireFormat.schemaId(r.value()),
              d.deserialize(r.key()), r.value() == null ? null : d.deserialize(r.value())));
        }
      }
    }
    return out;
  }
}
