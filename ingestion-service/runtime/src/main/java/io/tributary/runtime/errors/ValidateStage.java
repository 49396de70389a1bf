package io.tributary.runtime.errors;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.PipelineDefinition;
import io.tributary.runtime.PipelinePlan;
import io.tributary.schema.ChangeEvent;
import io.tributary.sink.kafka.DeadLetters;
import io.tributary.sink.kafka.KafkaOutput;
import io.tributary.sink.kafka.KafkaOutputSerializationSchema;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the VALIDATE stage to a pipeline's job: the {@link ChangeValidator} right after the source (same parallelism,
 * chained, uid {@value #VALIDATE_UID}) and, under {@code errors.mode: dlq}, a dead-letter writer fed by the
 * validator's side output: Flink's {@link KafkaSink} (uid {@value #DLQ_WRITER_UID}, parallelism 1, transactional id
 * prefix {@code tributary-<pipeline>-dlq}), exactly-once through Kafka transactions committed when a checkpoint
 * completes when the pipeline's {@code delivery.guarantee} is exactly-once (a restart neither loses nor duplicates a
 * dead letter), else at-least-once. See {@link DeadLetterSettings} for the cluster and producer settings.
 */
public final class ValidateStage {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateStage.class);

  /** Uid of the validator operator. */
  public static final String VALIDATE_UID = "tributary-validate";
  /** Uid of the dead-letter writer. */
  public static final String DLQ_WRITER_UID = "tributary-dlq-writer";

  private ValidateStage() {}

  /**
   * Client side, before the job starts: under {@code errors.mode: dlq}, creates the dead-letter topic unless it exists
   * or a Kafka sink's own preparation creates it on the same cluster. Does nothing for other modes.
   *
   * @throws IllegalArgumentException if mode is dlq and no Kafka cluster is known for the topic
   * @throws io.tributary.sink.kafka.KafkaSinkException if Kafka cannot be reached or refuses to create the topic
   */
  public static void prepare(PipelinePlan plan) {
    ErrorSettings errors = plan.definition().errors();
    if (errors == null || errors.mode() != ErrorMode.DLQ) {
      return;
    }
    DeadLetterSettings dlq = DeadLetterSettings.of(plan.definition(), plan.sinks());
    if (dlq.createdBySink()) {
      LOG.debug("Dead-letter topic {} is created by the kafka sink on {}", dlq.topic(), dlq.bootstrapServers());
      return;
    }
    if (DeadLetters.createTopicIfMissing(
        dlq.clientProperties(), dlq.topic(), dlq.topicPartitions(), dlq.topicReplicationFactor())) {
      LOG.info("Created dead-letter topic {} on {}", dlq.topic(), dlq.bootstrapServers());
    }
  }

  /**
   * Job side: adds the validator after {@code events} (and the dead-letter writer under {@code errors.mode: dlq}).
   *
   * @return the validated changes, to attach every sink to
   * @throws IllegalArgumentException if mode is dlq and no Kafka cluster is known for the topic
   */
  public static DataStream<ChangeEvent> attach(DataStream<ChangeEvent> events, PipelinePlan plan) {
    PipelineDefinition def = plan.definition();
    ErrorSettings errors = def.errors() == null ? new ErrorSettings(ErrorMode.FAIL, null) : def.errors();
    ErrorMode mode = errors.mode() == null ? ErrorMode.FAIL : errors.mode();
    SingleOutputStreamOperator<ChangeEvent> validated =
        events
            .process(
                new ChangeValidator(def.pipeline().name(), plan.tables(), mode, errors.dlqTopic()),
                TypeInformation.of(ChangeEvent.class))
            .uid(VALIDATE_UID)
            .name("validate")
            .setParallelism(events.getParallelism());
    if (mode == ErrorMode.DLQ) {
      DeadLetterSettings dlq = DeadLetterSettings.of(def, plan.sinks());
      LOG.info("Changes that fail validation go to {}", dlq);
      validated
          .getSideOutput(ChangeValidator.DEAD_LETTERS)
          .sinkTo(deadLetterSink(dlq))
          .uid(DLQ_WRITER_UID)
          .name("Dead-letter writer (" + dlq.topic() + ")")
          .setParallelism(1);
    }
    return validated;
  }

  /** Flink's Kafka sink for dead-letter records (already serialized {@link KafkaOutput}s). */
  static KafkaSink<KafkaOutput> deadLetterSink(DeadLetterSettings dlq) {
    Properties producer = new Properties();
    producer.putAll(dlq.producerProperties());
    producer.setProperty(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(dlq.transactionTimeout().toMillis()));
    boolean exactlyOnce = dlq.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
    return KafkaSink.<KafkaOutput>builder()
        .setBootstrapServers(dlq.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(new KafkaOutputSerializationSchema())
        .setDeliveryGuarantee(
            exactlyOnce
                ? org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE
                : org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(dlq.transactionalIdPrefix())
        .build();
  }
}
