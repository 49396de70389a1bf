package io.tributary.runtime.check;

import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.avro.AvroSchemas;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning to its last stable offset with {@code isolation.level=read_committed}, decodes
 * keys and values through the registry (Confluent wire format), and folds the records into the latest state per
 * message key: an envelope with op c/u/r sets the row to {@code after}, op d or a tombstone (null value) removes it.
 * Works for both envelopes: {@code debezium} (Envelope records) and {@code row} (flattened rows).
 */
public final class KafkaTopicReader {
  /** How long reading may go without a record before the topic counts as unreadable. */
  public static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  private KafkaTopicReader() {}

  /**
   * @param rows where the latest state goes (its side names the sink)
   * @return the number of records read, tombstones included
   * @throws org.apache.kafka.common.KafkaException if the broker cannot be reached
   * @throws IllegalStateException if no record arrives for {@link #STALL_TIMEOUT} before the end is reached
   */
  public static long read(String bootstrap, String topic, SchemaRegistryClient registry, TableRows rows) {
    return read(bootstrap, Map.of(), topic, registry, rows, false);
  }

  /**
   * Like {@link #read(String, String, SchemaRegistryClient, TableRows)}, with extra consumer properties.
   *
   * @param clientProperties Kafka consumer properties applied before Tributary's own (for example {@code
   *     security.protocol}, {@code sasl.*}, {@code ssl.*}); may be empty
   * @return the number of records read, tombstones included
   * @throws org.apache.kafka.common.KafkaException if the broker cannot be reached
   * @throws IllegalStateException if the topic does not exist, or no record arrives for {@link #STALL_TIMEOUT}
   *     before the end is reached
   */
  public static long read(
      String bootstrap, Map<String, String> clientProperties, String topic, SchemaRegistryClient registry,
      TableRows rows) {
    return read(bootstrap, clientProperties, topic, registry, rows, true);
  }

  private static long read(
      String bootstrap, Map<String, String> clientProperties, String topic, SchemaRegistryClient registry,
      TableRows rows, boolean requireTopic) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(registry::getById);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null) {
        infos = List.of();
      }
      if (infos.isEmpty() && requireTopic) {
        throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrap);
      }
      for (PartitionInfo info : infos) {
        parts.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long idleSince = System.nanoTime();
      while (!reached(consumer, end)) {
        var batch = consumer.poll(Duration.ofMillis(500));
        if (!batch.isEmpty()) {
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > STALL_TIMEOUT.toNanos()) {
          throw new IllegalStateException("reading topic " + topic + " from " + bootstrap + ": no progress for "
              + STALL_TIMEOUT.toSeconds() + " s before reaching the end offsets " + end);
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          count++;
          GenericRecord key = deserializer.deserialize(r.key());
          Map<String, Object> keyImage = AvroRecords.toImage(key);
          if (r.value() == null) {
            rows.remove(keyImage);
            continue;
          }
          GenericRecord value = deserializer.deserialize(r.value());
          if (value.getSchema().getField(AvroSchemas.OP) != null) {
            String op = value.get(AvroSchemas.OP).toString();
            if (op.equals("d")) {
              rows.remove(keyImage);
            } else {
              rows.putResolved(AvroRecords.toImage((GenericRecord) value.get(AvroSchemas.AFTER)));
            }
          } else {
            rows.putResolved(AvroRecords.toImage(value));
          }
        }
      }
    }
    return count;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
