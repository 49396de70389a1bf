package io.tributary.sink.kafka;

import io.tributary.config.ConfigOption;
import io.tributary.config.ConfigProblem;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.OptionsValidator;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SchemaSettings;
import io.tributary.config.Templates;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import io.tributary.schema.CompatibilityLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code type: kafka} sink: Confluent-format Avro records, schemas registered before the job starts, written by
 * Flink's {@code KafkaSink} with the pipeline's delivery guarantee (exactly-once through Kafka transactions
 * committed on checkpoint completion, or at-least-once).
 *
 * <p>Options: see {@link KafkaSinkOptions}; keys under {@code properties.} go to the Kafka producer and admin
 * client unchanged (prefix removed).
 */
public final class KafkaSinkFactory implements SinkFactory {

  /** The {@code type} value of this sink. */
  public static final String IDENTIFIER = "kafka";

  @Override
  public String identifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(KafkaSinkOptions.BOOTSTRAP_SERVERS, KafkaSinkOptions.TOPIC);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        KafkaSinkOptions.ENVELOPE,
        KafkaSinkOptions.TOMBSTONES_ON_DELETE,
        KafkaSinkOptions.TOPIC_PARTITIONS,
        KafkaSinkOptions.TOPIC_REPLICATION_FACTOR,
        KafkaSinkOptions.TRANSACTIONAL_ID_PREFIX,
        KafkaSinkOptions.TRANSACTION_TIMEOUT);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of(KafkaSinkOptions.PROPERTIES_PREFIX);
  }

  /**
   * Creates the sink without connecting anywhere.
   *
   * @throws PipelineValidationException listing every problem at once: what {@link OptionsValidator} finds (a
   *     required option missing, an unknown key neither declared nor under {@code properties.}, a value that does
   *     not parse), plus a bad topic template, a non-positive partition count, a managed producer property, no
   *     {@code schema.registry.url} in the pipeline, or {@code errors.mode: dlq} without {@code errors.dlq.topic}
   */
  @Override
  public PipelineSink createSink(SinkContext context) {
    return new KafkaPipelineSink(config(context));
  }

  /**
   * Resolves the sink's settings from its context (see {@link #createSink} for the checks).
   *
   * @throws PipelineValidationException with every problem found
   */
  public KafkaSinkConfig config(SinkContext context) {
    Options o = context.options();
    PipelineDefinition p = context.pipeline();
    List<ConfigProblem> problems = new ArrayList<>();

    problems.addAll(OptionsValidator.validate(this, o));
    Map<String, String> properties = new LinkedHashMap<>();
    for (String key : o.asMap().keySet()) {
      if (key.startsWith(KafkaSinkOptions.PROPERTIES_PREFIX)
          && key.length() > KafkaSinkOptions.PROPERTIES_PREFIX.length()) {
        properties.put(key.substring(KafkaSinkOptions.PROPERTIES_PREFIX.length()), o.getString(key));
      }
    }

    String servers = parsed(o, KafkaSinkOptions.BOOTSTRAP_SERVERS);
    String topic = parsed(o, KafkaSinkOptions.TOPIC);
    for (ConfigOption<String> required : List.of(KafkaSinkOptions.BOOTSTRAP_SERVERS, KafkaSinkOptions.TOPIC)) {
      String v = o.getString(required.key());
      if (v != null && v.isBlank()) {
        problems.add(problem(o, required.key(), Options.invalid(required, v,
            new IllegalArgumentException("must not be empty"))));
      }
    }
    if (topic != null && !topic.isBlank()) {
      try {
        Templates.check(topic);
      } catch (IllegalArgumentException e) {
        problems.add(problem(o, KafkaSinkOptions.TOPIC.key(), Options.invalid(KafkaSinkOptions.TOPIC, topic, e)));
      }
    }
    EnvelopeFormat envelope = parsed(o, KafkaSinkOptions.ENVELOPE);
    Boolean tombstones = parsed(o, KafkaSinkOptions.TOMBSTONES_ON_DELETE);
    Integer partitions = positive(o, KafkaSinkOptions.TOPIC_PARTITIONS, Integer.MAX_VALUE, problems);
    Integer replication = positive(o, KafkaSinkOptions.TOPIC_REPLICATION_FACTOR, Short.MAX_VALUE, problems);
    String txPrefix = parsed(o, KafkaSinkOptions.TRANSACTIONAL_ID_PREFIX);
    if (txPrefix == null || txPrefix.isBlank()) {
      txPrefix = "tributary-" + p.pipeline().name() + "-" + context.index();
    }
    Duration txTimeout = parsed(o, KafkaSinkOptions.TRANSACTION_TIMEOUT);
    if (txTimeout != null && txTimeout.toMillis() < 1000) {
      problems.add(problem(o, KafkaSinkOptions.TRANSACTION_TIMEOUT.key(), Options.invalid(
          KafkaSinkOptions.TRANSACTION_TIMEOUT, o.getString(KafkaSinkOptions.TRANSACTION_TIMEOUT.key()),
          new IllegalArgumentException("must be at least 1s"))));
    }
    for (String managed : List.of("key.serializer", "value.serializer", "transactional.id", "bootstrap.servers")) {
      if (properties.containsKey(managed)) {
        problems.add(problem(o, KafkaSinkOptions.PROPERTIES_PREFIX + managed, "properties." + managed
            + " is set by Tributary and may not be overridden"
            + (managed.equals("bootstrap.servers") ? "; use bootstrap.servers" : "")
            + (managed.equals("transactional.id") ? "; use transactional.id.prefix" : "")));
      }
    }

    SchemaSettings schema = p.schema();
    if (schema == null || schema.registryUrl() == null || schema.registryUrl().isBlank()) {
      problems.add(new ConfigProblem("schema.registry.url", 0,
          "Missing required configuration schema.registry.url: the kafka sink " + o.path()
              + " registers Avro schemas in a Confluent-compatible registry"));
    }
    ErrorSettings errors = p.errors() == null ? new ErrorSettings(ErrorMode.FAIL, null) : p.errors();
    ErrorMode mode = errors.mode() == null ? ErrorMode.FAIL : errors.mode();
    if (mode == ErrorMode.DLQ && (errors.dlqTopic() == null || errors.dlqTopic().isBlank())) {
      problems.add(new ConfigProblem("errors.dlq.topic", 0,
          "Missing required configuration errors.dlq.topic: errors.mode is dlq"));
    }
    if (!problems.isEmpty()) {
      throw new PipelineValidationException(p.file(), problems);
    }
    CompatibilityLevel compatibility =
        schema.compatibility() == null ? CompatibilityLevel.BACKWARD : schema.compatibility();
    return new KafkaSinkConfig(
        context.sinkName(),
        p.pipeline().name(),
        servers.trim(),
        topic,
        envelope,
        tombstones,
        partitions,
        replication.shortValue(),
        txPrefix,
        txTimeout,
        properties,
        p.pipeline().deliveryGuarantee() == null
            ? io.tributary.config.DeliveryGuarantee.EXACTLY_ONCE
            : p.pipeline().deliveryGuarantee(),
        schema.registryUrl(),
        compatibility,
        mode,
        mode == ErrorMode.DLQ ? errors.dlqTopic() : null);
  }

  /** The parsed value, or the default when it does not parse (OptionsValidator has reported that already). */
  private static <T> T parsed(Options o, ConfigOption<T> option) {
    try {
      return o.get(option);
    } catch (PipelineValidationException e) {
      return option.defaultValue();
    }
  }

  private static Integer positive(Options o, ConfigOption<Integer> option, int max, List<ConfigProblem> problems) {
    Integer v = parsed(o, option);
    if (v != null && (v < 1 || v > max)) {
      problems.add(problem(o, option.key(), Options.invalid(option, o.getString(option.key()),
          new IllegalArgumentException("must be between 1 and " + max))));
      return option.defaultValue();
    }
    return v;
  }

  private static ConfigProblem problem(Options o, String key, String message) {
    return new ConfigProblem(o.path() + "." + key, o.line(key), message);
  }

}
