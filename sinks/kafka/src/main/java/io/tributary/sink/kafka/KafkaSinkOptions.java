package io.tributary.sink.kafka;

import io.tributary.config.ConfigOption;
import java.time.Duration;

/** The options of a {@code type: kafka} sink entry. */
public final class KafkaSinkOptions {

  /** Kafka bootstrap servers, {@code host:port} pairs separated by commas. Required. */
  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOption.string("bootstrap.servers", null, "Kafka bootstrap servers, host:port[,host:port...].");

  /**
   * Topic template, rendered per table by {@link io.tributary.config.Templates}: {@code ${database}},
   * {@code ${schema}}, {@code ${table}}. Required.
   */
  public static final ConfigOption<String> TOPIC =
      ConfigOption.string(
          "topic", null, "Topic per table; a template with ${database}, ${schema} and ${table}, e.g. shop.${schema}.${table}.");

  /** Shape of the message value; default {@link EnvelopeFormat#DEBEZIUM}. */
  public static final ConfigOption<EnvelopeFormat> ENVELOPE =
      ConfigOption.enumOption(
          "envelope",
          EnvelopeFormat.class,
          EnvelopeFormat.DEBEZIUM,
          "Message value: debezium (before/after/source/op/ts_ms) or row (the flattened after-image; deletes become"
              + " tombstones).");

  /** Whether a delete is followed by a tombstone (same key, null value); default true. */
  public static final ConfigOption<Boolean> TOMBSTONES_ON_DELETE =
      ConfigOption.bool(
          "tombstones.on.delete",
          true,
          "Follow each delete with a record of the same key and a null value, so that compacted topics drop the key.");

  /** Partitions of topics Tributary creates when missing; default 1. */
  public static final ConfigOption<Integer> TOPIC_PARTITIONS =
      ConfigOption.integer("topic.partitions", 1, "Number of partitions of topics created when missing.");

  /** Replication factor of topics Tributary creates when missing; default 1. */
  public static final ConfigOption<Integer> TOPIC_REPLICATION_FACTOR =
      ConfigOption.integer("topic.replication.factor", 1, "Replication factor of topics created when missing.");

  /**
   * Prefix of the Kafka transactional ids of the exactly-once writers; default
   * {@code tributary-<pipeline name>-<sink index>}. Must be unique per pipeline and sink on a Kafka cluster.
   */
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      ConfigOption.string(
          "transactional.id.prefix",
          null,
          "Prefix of Kafka transactional ids (exactly-once); default tributary-<pipeline name>-<sink index>.");

  /**
   * Kafka transaction timeout (the producer's {@code transaction.timeout.ms}); default 15min. Must not exceed the
   * broker's {@code transaction.max.timeout.ms} (15 min by default) and should exceed the checkpoint interval by a
   * wide margin, since a transaction stays open from one checkpoint to the commit after the next.
   */
  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      ConfigOption.duration(
          "transaction.timeout",
          Duration.ofMinutes(15),
          "Kafka transaction timeout; must be <= the broker's transaction.max.timeout.ms.");

  /** Pass-through prefix: {@code properties.linger.ms: 10} sets the producer property {@code linger.ms}. */
  public static final String PROPERTIES_PREFIX = "properties.";

  private KafkaSinkOptions() {}
}
