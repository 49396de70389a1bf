package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigProblem;
import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineSettings;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SchemaSettings;
import io.tributary.config.SinkDefinition;
import io.tributary.config.SourceDefinition;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import io.tributary.schema.CompatibilityLevel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class KafkaSinkFactoryTest {

  private final KafkaSinkFactory factory = new KafkaSinkFactory();

  @Test
  void isFoundByServiceLoaderUnderItsIdentifier() {
    assertThat(ServiceLoader.load(SinkFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(KafkaSinkFactory.class);
          assertThat(f.identifier()).isEqualTo("kafka");
        });
  }

  @Test
  void createsWithDefaults() {
    SinkContext ctx = context(options(Map.of("bootstrap.servers", "127.0.0.1:9092", "topic", "shop.${schema}.${table}")),
        DeliveryGuarantee.EXACTLY_ONCE, new ErrorSettings(ErrorMode.FAIL, null));

    PipelineSink sink = factory.createSink(ctx);
    KafkaSinkConfig c = factory.config(ctx);

    assertThat(sink).isInstanceOf(KafkaPipelineSink.class);
    assertThat(c.sinkName()).isEqualTo("kafka-1");
    assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.topicTemplate()).isEqualTo("shop.${schema}.${table}");
    assertThat(c.envelope()).isEqualTo(EnvelopeFormat.DEBEZIUM);
    assertThat(c.tombstonesOnDelete()).isTrue();
    assertThat(c.topicPartitions()).isEqualTo(1);
    assertThat(c.topicReplicationFactor()).isEqualTo((short) 1);
    assertThat(c.transactionalIdPrefix()).isEqualTo("tributary-shop-orders-1");
    assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(c.registryUrl()).isEqualTo("http://127.0.0.1:8085/apis/ccompat/v7");
    assertThat(c.compatibility()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(c.errorMode()).isEqualTo(ErrorMode.FAIL);
    assertThat(c.producerProperties()).isEmpty();
  }

  @Test
  void readsEveryOptionAndThePipelineSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", "127.0.0.1:9092,127.0.0.1:9093");
    m.put("topic", "${database}.${table}");
    m.put("envelope", "row");
    m.put("tombstones.on.delete", "false");
    m.put("topic.partitions", "6");
    m.put("topic.replication.factor", "3");
    m.put("transactional.id.prefix", "orders-tx");
    m.put("transaction.timeout", "5min");
    SinkContext ctx = context(options(m), DeliveryGuarantee.AT_LEAST_ONCE, new ErrorSettings(ErrorMode.DLQ, "shop.dlq"));

    KafkaSinkConfig c = factory.config(ctx);

    assertThat(c.envelope()).isEqualTo(EnvelopeFormat.ROW);
    assertThat(c.tombstonesOnDelete()).isFalse();
    assertThat(c.writesTombstones()).as("a row-envelope delete is always a tombstone").isTrue();
    assertThat(c.topicPartitions()).isEqualTo(6);
    assertThat(c.topicReplicationFactor()).isEqualTo((short) 3);
    assertThat(c.transactionalIdPrefix()).isEqualTo("orders-tx");
    assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(c.errorMode()).isEqualTo(ErrorMode.DLQ);
    assertThat(c.dlqTopic()).isEqualTo("shop.dlq");
  }

  @Test
  void reportsEveryMissingRequiredOptionAtOnce() {
    SinkContext ctx = context(options(Map.of()), DeliveryGuarantee.EXACTLY_ONCE, new ErrorSettings(ErrorMode.FAIL, null));

    assertThatThrownBy(() -> factory.createSink(ctx))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactlyInAnyOrder("sinks[1].bootstrap.servers", "sinks[1].topic"))
        .hasMessageContaining("Missing required option 'bootstrap.servers'")
        .hasMessageContaining("Missing required option 'topic'");
  }

  @Test
  void rejectsUnknownOptionsAndBadValuesTogether() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", "127.0.0.1:9092");
    m.put("topic", "shop.${namespace}");
    m.put("envelop", "row");
    m.put("topic.partitions", "0");
    m.put("tombstones.on.delete", "maybe");
    SinkContext ctx = context(options(m), DeliveryGuarantee.EXACTLY_ONCE, new ErrorSettings(ErrorMode.FAIL, null));

    assertThatThrownBy(() -> factory.createSink(ctx))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactlyInAnyOrder(
                "sinks[1].envelop", "sinks[1].topic", "sinks[1].topic.partitions", "sinks[1].tombstones.on.delete"))
        .hasMessageContaining("Unknown option 'envelop'")
        .hasMessageContaining("did you mean 'envelope'?")
        .hasMessageContaining("unknown variable ${namespace}")
        .hasMessageContaining("Invalid value '0' for configuration topic.partitions: must be between 1 and")
        .hasMessageContaining("Invalid value 'maybe' for configuration tombstones.on.delete");
  }

  @Test
  void passesPropertiesPrefixThroughToTheProducer() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", "127.0.0.1:9092");
    m.put("topic", "t.${table}");
    m.put("properties.linger.ms", "10");
    m.put("properties.compression.type", "lz4");
    SinkContext ctx = context(options(m), DeliveryGuarantee.EXACTLY_ONCE, new ErrorSettings(ErrorMode.FAIL, null));

    KafkaSinkConfig c = factory.config(ctx);

    assertThat(c.producerProperties()).containsOnly(Map.entry("linger.ms", "10"), Map.entry("compression.type", "lz4"));
    assertThat(c.clientProperties())
        .containsEntry("linger.ms", "10")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void refusesProducerPropertiesTributaryManages() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", "127.0.0.1:9092");
    m.put("topic", "t.${table}");
    m.put("properties.transactional.id", "x");
    SinkContext ctx = context(options(m), DeliveryGuarantee.EXACTLY_ONCE, new ErrorSettings(ErrorMode.FAIL, null));

    assertThatThrownBy(() -> factory.createSink(ctx))
        .isInstanceOf(PipelineValidationException.class)
        .hasMessageContaining("sinks[1].properties.transactional.id")
        .hasMessageContaining("use transactional.id.prefix");
  }

  @Test
  void needsARegistryAndADlqTopicWhenErrorsGoToTheDlq() {
    Options o = options(Map.of("bootstrap.servers", "127.0.0.1:9092", "topic", "t.${table}"));
    PipelineDefinition p =
        new PipelineDefinition(
            settings(DeliveryGuarantee.EXACTLY_ONCE),
            new SourceDefinition("postgres", Options.of("source", Map.of())),
            new SchemaSettings(null, CompatibilityLevel.BACKWARD, "topic"),
            List.of(new SinkDefinition(1, "kafka", o)),
            new ErrorSettings(ErrorMode.DLQ, null),
            "pipeline.yaml");

    assertThatThrownBy(() -> factory.createSink(new SinkContext(p, 1, o)))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactlyInAnyOrder("schema.registry.url", "errors.dlq.topic"))
        .hasMessageStartingWith("pipeline.yaml has 2 problems");
  }

  static Options options(Map<String, String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", "kafka");
    m.putAll(values);
    return Options.of("sinks[1]", m);
  }

  static PipelineSettings settings(DeliveryGuarantee guarantee) {
    return new PipelineSettings("shop-orders", "team-commerce", 1, Duration.ofSeconds(10), guarantee, null);
  }

  static SinkContext context(Options o, DeliveryGuarantee guarantee, ErrorSettings errors) {
    PipelineDefinition p =
        new PipelineDefinition(
            settings(guarantee),
            new SourceDefinition("postgres", Options.of("source", Map.of())),
            new SchemaSettings("http://127.0.0.1:8085/apis/ccompat/v7", CompatibilityLevel.FULL, "topic"),
            List.of(new SinkDefinition(1, "kafka", o)),
            errors,
            null);
    return new SinkContext(p, 1, o);
  }
}
