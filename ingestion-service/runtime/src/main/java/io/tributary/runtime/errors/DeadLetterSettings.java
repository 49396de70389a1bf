package io.tributary.runtime.errors;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.spi.PipelineSink;
import io.tributary.sink.kafka.KafkaPipelineSink;
import io.tributary.sink.kafka.KafkaSinkConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and how the VALIDATE stage's dead letters are written (only under {@code errors.mode: dlq}).
 *
 * <p>The Kafka cluster is {@code errors.dlq.bootstrap.servers}, else the {@code bootstrap.servers} of the first
 * Kafka sink. When a Kafka sink of the pipeline writes to that same cluster, the dead-letter writer borrows its
 * {@code properties.*} (security settings, producer tuning), its {@code transaction.timeout} and, for creating the
 * topic, its {@code topic.partitions} and {@code topic.replication.factor}; otherwise it uses no extra properties, a
 * 15 min transaction timeout (the brokers' default {@code transaction.max.timeout.ms}) and 1 partition, replication
 * factor 1 (the Kafka sink's defaults).
 *
 * @param topic the dead-letter topic
 * @param bootstrapServers the Kafka cluster of the topic
 * @param producerProperties extra Kafka client properties (may hold secrets, never logged)
 * @param transactionTimeout the producer's {@code transaction.timeout.ms} under exactly-once
 * @param guarantee the pipeline's {@code delivery.guarantee}
 * @param transactionalIdPrefix prefix of the writer's Kafka transactional ids: {@code tributary-<pipeline>-dlq},
 *     distinct from every Kafka sink's {@code tributary-<pipeline>-<index>}
 * @param topicPartitions partitions when the topic is created
 * @param topicReplicationFactor replication factor when the topic is created
 * @param createdBySink whether a Kafka sink's own {@code prepare} already creates this topic on this cluster (its
 *     SERIALIZE-stage dead letters go to the same topic), so that the runtime does not create it a second time
 */
public record DeadLetterSettings(
    String topic,
    String bootstrapServers,
    Map<String, String> producerProperties,
    Duration transactionTimeout,
    DeliveryGuarantee guarantee,
    String transactionalIdPrefix,
    int topicPartitions,
    short topicReplicationFactor,
    boolean createdBySink)
    implements Serializable {
  /** The transaction timeout when no Kafka sink on the same cluster gives one: the brokers' default maximum. */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  public DeadLetterSettings {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(guarantee, "guarantee");
    Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
    producerProperties = Map.copyOf(producerProperties);
  }

  /**
   * The settings of a pipeline whose {@code errors.mode} is dlq.
   *
   * @param sinks the pipeline's configured sinks (Kafka sinks lend their settings, see the class comment)
   * @throws IllegalArgumentException if mode is not dlq, the topic is missing, or no Kafka cluster is known (neither
   *     {@code errors.dlq.bootstrap.servers} nor a Kafka sink)
   */
  public static DeadLetterSettings of(PipelineDefinition def, List<PipelineSink> sinks) {
    ErrorSettings errors = def.errors();
    if (errors == null || errors.mode() != ErrorMode.DLQ) {
      throw new IllegalArgumentException("errors.mode is not dlq");
    }
    if (errors.dlqTopic() == null || errors.dlqTopic().isBlank()) {
      throw new IllegalArgumentException("errors.mode is dlq but errors.dlq.topic is not set");
    }
    String servers = errors.dlqBootstrapServers();
    KafkaSinkConfig same = null;
    for (PipelineSink sink : sinks) {
      if (sink instanceof KafkaPipelineSink) {
        KafkaSinkConfig c = ((KafkaPipelineSink) sink).config();
        if (servers == null) {
          servers = c.bootstrapServers();
        }
        if (same == null && c.bootstrapServers().equals(servers)) {
          same = c;
        }
      }
    }
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException(
          "errors.mode is dlq, but the pipeline has no kafka sink and errors.dlq.bootstrap.servers is not set: the "
              + "dead-letter topic " + errors.dlqTopic() + " needs a Kafka cluster");
    }
    boolean createdBySink = false;
    for (PipelineSink sink : sinks) {
      if (sink instanceof KafkaPipelineSink) {
        KafkaSinkConfig c = ((KafkaPipelineSink) sink).config();
        createdBySink |= c.errorMode() == ErrorMode.DLQ && errors.dlqTopic().equals(c.dlqTopic())
            && c.bootstrapServers().equals(servers);
      }
    }
    return new DeadLetterSettings(
        errors.dlqTopic(),
        servers,
        same == null ? Map.of() : same.producerProperties(),
        same == null ? DEFAULT_TRANSACTION_TIMEOUT : same.transactionTimeout(),
        def.pipeline().deliveryGuarantee(),
        "tributary-" + def.pipeline().name() + "-dlq",
        same == null ? 1 : same.topicPartitions(),
        same == null ? (short) 1 : same.topicReplicationFactor(),
        createdBySink);
  }

  /** Kafka client properties: the extra properties plus {@code bootstrap.servers}. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(producerProperties);
    p.setProperty("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** Shows the settings with property values masked (they may hold credentials). */
  @Override
  public String toString() {
    return "DeadLetterSettings{topic=" + topic + " servers=" + bootstrapServers + " properties="
        + producerProperties.keySet() + " txTimeout=" + transactionTimeout + " guarantee=" + guarantee + " txPrefix="
        + transactionalIdPrefix + " partitions=" + topicPartitions + " rf=" + topicReplicationFactor
        + " createdBySink=" + createdBySink + "}";
  }
}
