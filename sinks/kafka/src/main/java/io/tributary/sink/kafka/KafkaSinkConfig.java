package io.tributary.sink.kafka;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.schema.CompatibilityLevel;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The resolved settings of one Kafka sink: its own options with defaults applied plus what it takes from the
 * pipeline (name, delivery guarantee, registry, error handling). Built by {@link KafkaSinkFactory}.
 *
 * @param sinkName stable name inside the job, for example {@code kafka-0} (operator uids, metric group)
 * @param pipelineName the pipeline's name (dead-letter header {@code tributary.pipeline})
 * @param bootstrapServers Kafka bootstrap servers
 * @param topicTemplate topic template with {@code ${database}}, {@code ${schema}}, {@code ${table}}
 * @param envelope message value shape
 * @param tombstonesOnDelete whether a delete is followed by a tombstone (ignored for {@link EnvelopeFormat#ROW},
 *     where a delete is only a tombstone)
 * @param topicPartitions partitions of topics created when missing, >= 1
 * @param topicReplicationFactor replication factor of topics created when missing, >= 1
 * @param transactionalIdPrefix prefix of Kafka transactional ids, never null
 * @param transactionTimeout the producer's {@code transaction.timeout.ms}
 * @param producerProperties raw producer (and admin) properties from the {@code properties.} prefix, prefix removed;
 *     may hold secrets, never logged
 * @param deliveryGuarantee from {@code pipeline.delivery.guarantee}
 * @param registryUrl Confluent-compatible registry base URL, never null
 * @param compatibility compatibility level set on new subjects
 * @param errorMode what happens to a change that cannot be serialized
 * @param dlqTopic dead-letter topic, required when {@code errorMode} is DLQ, else null
 */
public record KafkaSinkConfig(
    String sinkName,
    String pipelineName,
    String bootstrapServers,
    String topicTemplate,
    EnvelopeFormat envelope,
    boolean tombstonesOnDelete,
    int topicPartitions,
    short topicReplicationFactor,
    String transactionalIdPrefix,
    Duration transactionTimeout,
    Map<String, String> producerProperties,
    DeliveryGuarantee deliveryGuarantee,
    String registryUrl,
    CompatibilityLevel compatibility,
    ErrorMode errorMode,
    String dlqTopic)
    implements Serializable {
  public KafkaSinkConfig {
    Objects.requireNonNull(sinkName, "sinkName");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topicTemplate, "topicTemplate");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(compatibility, "compatibility");
    Objects.requireNonNull(errorMode, "errorMode");
    producerProperties = Map.copyOf(producerProperties);
    if (errorMode == ErrorMode.DLQ && (dlqTopic == null || dlqTopic.isBlank())) {
      throw new IllegalArgumentException("errors.mode dlq needs errors.dlq.topic");
    }
  }

  /** Whether a delete produces a tombstone: always for {@code row}, per {@code tombstones.on.delete} otherwise. */
  public boolean writesTombstones() {
    return envelope == EnvelopeFormat.ROW || tombstonesOnDelete;
  }

  /**
   * Properties for Kafka clients of this sink (AdminClient and producer): the pass-through properties plus
   * {@code bootstrap.servers}.
   */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(producerProperties);
    p.setProperty("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** Shows the settings with pass-through property values masked (they may hold credentials). */
  @Override
  public String toString() {
    return "KafkaSinkConfig{" + sinkName + " servers=" + bootstrapServers + " topic=" + topicTemplate + " envelope="
        + envelope + " tombstones=" + tombstonesOnDelete + " partitions=" + topicPartitions + " rf="
        + topicReplicationFactor + " txPrefix=" + transactionalIdPrefix + " txTimeout=" + transactionTimeout
        + " properties=" + producerProperties.keySet() + " guarantee=" + deliveryGuarantee + " registry="
        + registryUrl + " compatibility=" + compatibility + " errors=" + errorMode
        + (dlqTopic == null ? "" : " dlq=" + dlqTopic) + "}";
  }
}
