package io.tributary.runtime.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineSettings;
import io.tributary.config.spi.PipelineSink;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.TableSchema;
import io.tributary.sink.kafka.EnvelopeFormat;
import io.tributary.sink.kafka.KafkaPipelineSink;
import io.tributary.sink.kafka.KafkaSinkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.junit.jupiter.api.Test;

class DeadLetterSettingsTest {

  private static PipelineDefinition def(ErrorSettings errors, DeliveryGuarantee guarantee) {
    return new PipelineDefinition(
        new PipelineSettings("shop-orders", null, 2, Duration.ofSeconds(1), guarantee, null),
        null, null, List.of(), errors, null);
  }

  private static KafkaPipelineSink kafka(String name, String servers, ErrorMode mode, String dlqTopic) {
    return new KafkaPipelineSink(new KafkaSinkConfig(name, "shop-orders", servers, "t.${table}",
        EnvelopeFormat.DEBEZIUM, true, 3, (short) 2, "tributary-shop-orders-0", Duration.ofMinutes(5),
        Map.of("security.protocol", "SASL_SSL"), DeliveryGuarantee.EXACTLY_ONCE, "http://r",
        CompatibilityLevel.BACKWARD, mode, dlqTopic));
  }

  /** A sink that is not Kafka (as the Hudi sink). */
  private static final PipelineSink LAKE =
      new PipelineSink() {
        @Override
        public void prepare(List<TableSchema> tables) {}

        @Override
        public void attach(DataStream<ChangeEvent> events, List<TableSchema> tables) {}
      };

  @Test
  void hudiOnlyPipelineUsesTheGivenServersAndDefaults() {
    DeadLetterSettings s =
        DeadLetterSettings.of(
            def(new ErrorSettings(ErrorMode.DLQ, "shop.dlq", "dlq:9092"), DeliveryGuarantee.EXACTLY_ONCE),
            List.of(LAKE));
    assertThat(s.topic()).isEqualTo("shop.dlq");
    assertThat(s.bootstrapServers()).isEqualTo("dlq:9092");
    assertThat(s.producerProperties()).isEmpty();
    assertThat(s.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(s.transactionalIdPrefix()).isEqualTo("tributary-shop-orders-dlq");
    assertThat(s.topicPartitions()).isEqualTo(1);
    assertThat(s.topicReplicationFactor()).isEqualTo((short) 1);
    assertThat(s.createdBySink()).isFalse();
    assertThat(s.clientProperties()).containsEntry("bootstrap.servers", "dlq:9092");
  }

  @Test
  void withoutServersTheFirstKafkaSinkLendsItsClusterAndSettings() {
    DeadLetterSettings s =
        DeadLetterSettings.of(
            def(new ErrorSettings(ErrorMode.DLQ, "shop.dlq"), DeliveryGuarantee.AT_LEAST_ONCE),
            List.of(LAKE, kafka("kafka-1", "k1:9092", ErrorMode.DLQ, "shop.dlq"), kafka("kafka-2", "k2:9092",
                ErrorMode.DLQ, "shop.dlq")));
    assertThat(s.bootstrapServers()).isEqualTo("k1:9092");
    assertThat(s.producerProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(s.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(s.topicPartitions()).isEqualTo(3);
    assertThat(s.topicReplicationFactor()).isEqualTo((short) 2);
    assertThat(s.createdBySink()).as("the kafka sink's prepare creates the topic on k1").isTrue();
    assertThat(s.toString()).doesNotContain("SASL_SSL");
  }

  @Test
  void aDlqClusterOtherThanTheKafkaSinksIsCreatedByTheRuntime() {
    DeadLetterSettings s =
        DeadLetterSettings.of(
            def(new ErrorSettings(ErrorMode.DLQ, "shop.dlq", "dlq:9092"), DeliveryGuarantee.EXACTLY_ONCE),
            List.of(kafka("kafka-0", "k1:9092", ErrorMode.DLQ, "shop.dlq")));
    assertThat(s.bootstrapServers()).isEqualTo("dlq:9092");
    assertThat(s.producerProperties()).isEmpty();
    assertThat(s.createdBySink()).isFalse();
  }

  @Test
  void noClusterAtAllIsAnError() {
    assertThatThrownBy(
            () ->
                DeadLetterSettings.of(
                    def(new ErrorSettings(ErrorMode.DLQ, "shop.dlq"), DeliveryGuarantee.EXACTLY_ONCE), List.of(LAKE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no kafka sink and errors.dlq.bootstrap.servers is not set");
    assertThatThrownBy(
            () ->
                DeadLetterSettings.of(
                    def(new ErrorSettings(ErrorMode.SKIP, null), DeliveryGuarantee.EXACTLY_ONCE), List.of(LAKE)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
