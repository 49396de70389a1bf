package io.tributary.sink.kafka;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.Durations;
import io.tributary.config.ErrorMode;
import io.tributary.config.Templates;
import io.tributary.config.spi.PipelineSink;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroSchemas;
import io.tributary.schema.registry.CompatibilityCheck;
import io.tributary.schema.registry.RegisteredSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured Kafka sink.
 *
 * <p>{@link #prepare} runs once on the client: for every table it renders the topic, derives the key schema and
 * the value schema (Debezium envelope or row), checks them against the subjects {@code <topic>-key} and
 * {@code <topic>-value} (Confluent TopicNameStrategy) under their compatibility level, registers them, and creates
 * missing topics. {@link #attach} adds two operators: {@code tributary-<sink>-serialize} (change event to
 * Confluent wire-format bytes with the ids from prepare, no registry calls) and {@code tributary-<sink>-writer}
 * (Flink's {@link KafkaSink}, exactly-once through Kafka transactions committed when a checkpoint completes, or
 * at-least-once).
 *
 * <p>Ordering: the serialize and writer operators run at the parallelism of the incoming stream, so they are
 * chained forward and keep the order of each upstream subtask; the producer partitions by the key bytes, so all
 * changes of one primary key land in order on one partition.
 */
public final class KafkaPipelineSink implements PipelineSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPipelineSink.class);

  /** First segment of the Avro namespace of every table's schemas: {@code tributary.<db>.<schema>.<table>}. */
  public static final String NAMESPACE_PREFIX = "tributary";

  private final KafkaSinkConfig config;
  private List<TableTarget> targets;

  /** @param config the resolved settings, see {@link KafkaSinkFactory#config} */
  public KafkaPipelineSink(KafkaSinkConfig config) {
    this.config = config;
  }

  /** The sink's settings. */
  public KafkaSinkConfig config() {
    return config;
  }

  /** The per-table targets fixed by {@link #prepare}, or null before it ran. */
  public List<TableTarget> targets() {
    return targets;
  }

  /**
   * Registers the schemas of every table and creates missing topics (see the class comment).
   *
   * @throws KafkaSinkException naming the table when it has no primary key; naming table, subject, compatibility
   *     level and the registry's reasons when a schema is incompatible (HTTP 409, error code 40901); naming the
   *     topic when Kafka refuses to create it; when {@code transaction.timeout} exceeds the broker's
   *     {@code transaction.max.timeout.ms} under exactly-once
   * @throws SchemaRegistryException when the registry cannot be reached or fails
   */
  @Override
  public void prepare(List<TableSchema> tables) {
    List<String> noKey = new ArrayList<>();
    for (TableSchema t : tables) {
      if (t.primaryKey().isEmpty()) {
        noKey.add(t.tableId().toString());
      }
    }
    if (!noKey.isEmpty()) {
      throw new KafkaSinkException("sink " + config.sinkName() + ": table" + (noKey.size() == 1 ? " " : "s ")
          + String.join(", ", noKey) + (noKey.size() == 1 ? " has" : " have")
          + " no primary key; the kafka sink needs one for the message key (per-key order, compaction)."
          + " Add a primary key or leave the table out of source.tables");
    }

    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    List<TableTarget> out = new ArrayList<>(tables.size());
    for (TableSchema t : tables) {
      Subjects d = subjects(t);
      String topic = d.topic();
      Schema key = d.key();
      Schema value = d.value();
      String keySubject = topic + "-key";
      String valueSubject = topic + "-value";
      int keyId = register(registry, t, keySubject, key);
      int valueId = register(registry, t, valueSubject, value);
      out.add(new TableTarget(t.tableId(), topic, keySubject, valueSubject, key.toString(), value.toString(), keyId,
          valueId));
      LOG.info("Sink {}: table {} -> topic {} (key schema id {}, value schema id {})", config.sinkName(),
          t.tableId(), topic, keyId, valueId);
    }

    Set<String> topics = new LinkedHashSet<>();
    out.forEach(t -> topics.add(t.topic()));
    if (config.errorMode() == ErrorMode.DLQ) {
      topics.add(config.dlqTopic());
    }
    try (KafkaTopics admin = new KafkaTopics(config.clientProperties())) {
      if (config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
        Duration max = admin.maxTransactionTimeout();
        if (max != null && config.transactionTimeout().compareTo(max) > 0) {
          throw new KafkaSinkException("sink " + config.sinkName() + ": transaction.timeout "
              + Durations.format(config.transactionTimeout()) + " exceeds the broker's transaction.max.timeout.ms ("
              + max.toMillis() + " ms); lower transaction.timeout or raise transaction.max.timeout.ms on the brokers");
        }
      }
      admin.createMissing(topics, config.topicPartitions(), config.topicReplicationFactor());
    }
    this.targets = List.copyOf(out);
  }

  /**
   * Registers one subject's schema: keeps the pipeline's compatibility level on the subject (set on a new subject after
   * its first version, reset on an existing one whose level differs), tests compatibility against the latest version of
   * an existing subject, then registers (idempotent: the same schema gives the same id).
   */
  private int register(SchemaRegistryClient registry, TableSchema t, String subject, Schema schema) {
    Optional<RegisteredSchema> latest = registry.latest(subject);
    if (latest.isPresent()) {
      // Keep the declared level on an existing subject too: a run that died between its first registration and
      // setting the level, or a changed declaration, must not leave the subject on the registry's default.
      Optional<CompatibilityLevel> current = registry.getCompatibility(subject);
      if (!current.equals(Optional.of(config.compatibility()))) {
        LOG.warn("Subject {} has compatibility {}; setting the pipeline's {}", subject,
            current.map(Enum::name).orElse("(registry default)"), config.compatibility());
        registry.setCompatibility(subject, config.compatibility());
      }
      CompatibilityCheck check = registry.testCompatibility(subject, schema);
      if (!check.compatible()) {
        throw incompatible(registry, t, subject, schema, latest.get().schema(), check.messages(), null);
      }
    }
    int id;
    try {
      id = registry.register(subject, schema);
    } catch (SchemaRegistryException e) {
      if (e.isIncompatible()) {
        throw incompatible(registry, t, subject, schema, latest.map(RegisteredSchema::schema).orElse(null),
            List.of(e.getMessage()), e);
      }
      throw e;
    }
    if (latest.isEmpty()) {
      // Set after the first version exists: some registries (Apicurio's ccompat API) refuse config for unknown
      // subjects. A new subject has nothing to be incompatible with, so nothing is checked in between.
      registry.setCompatibility(subject, config.compatibility());
      LOG.info("Registered new subject {} (schema id {}) with compatibility {}", subject, id, config.compatibility());
    }
    return id;
  }

  private KafkaSinkException incompatible(
      SchemaRegistryClient registry,
      TableSchema t,
      String subject,
      Schema proposed,
      Schema latest,
      List<String> registryReasons,
      Throwable cause) {
    CompatibilityLevel level = null;
    String levelText;
    try {
      Optional<CompatibilityLevel> own = registry.getCompatibility(subject);
      level = own.orElseGet(registry::getGlobalCompatibility);
      levelText = level.name() + (own.isPresent() ? "" : " (registry default)");
    } catch (SchemaRegistryException e) {
      levelText = "unknown (" + e.getMessage() + ")";
    }
    List<String> reasons = new ArrayList<>(registryReasons);
    if (reasons.isEmpty() && latest != null) {
      // Some registries (Apicurio) answer is_compatible=false without messages: explain with Avro's own check.
      reasons.addAll(SchemaChanges.explain(level, proposed, latest));
    }
    return new KafkaSinkException("Table " + t.tableId() + ": the new schema of subject " + subject
        + " is incompatible with its latest version under compatibility level " + levelText
        + " (HTTP 409, error code " + SchemaRegistryException.INCOMPATIBLE_SCHEMA + "): "
        + (reasons.isEmpty() ? "the registry gave no reason" : String.join("; ", reasons))
        + ". Make the change compatible (for example add columns as nullable), or register it under a new topic",
        cause);
  }

  /**
   * Checks without changing anything (see {@link PipelineSink#preflight}): a primary key per table; Kafka reachable;
   * the registry reachable; for every subject that exists, whether the schema the pipeline would register passes its
   * latest version under the pipeline's compatibility level (the registry's own test when the subject already has
   * that level; Avro's reader/writer check under the declared level when the subject has another one, since
   * {@link #prepare} would set it first).
   */
  @Override
  public List<String> preflight(List<TableSchema> tables) {
    List<String> problems = new ArrayList<>();
    String sink = "sink " + config.sinkName();
    for (TableSchema t : tables) {
      if (t.primaryKey().isEmpty()) {
        problems.add(sink + ": table " + t.tableId() + " has no primary key (needed for the message key)");
      }
    }
    try (KafkaTopics admin = new KafkaTopics(config.clientProperties())) {
      admin.brokers();
    } catch (RuntimeException e) {
      problems.add(sink + ": " + e.getMessage());
    }
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    for (TableSchema t : tables) {
      if (t.primaryKey().isEmpty()) {
        continue;
      }
      Subjects d = subjects(t);
      try {
        check(registry, t, d.topic() + "-key", d.key(), problems);
        check(registry, t, d.topic() + "-value", d.value(), problems);
      } catch (SchemaRegistryException e) {
        problems.add(sink + ": schema registry at " + config.registryUrl() + " cannot be used: " + e.getMessage());
        break;
      }
    }
    return problems;
  }

  /** A table's topic and the key and value schemas its subjects {@code <topic>-key}, {@code <topic>-value} hold. */
  private record Subjects(String topic, Schema key, Schema value) {}

  private Subjects subjects(TableSchema t) {
    String ns = AvroSchemas.namespace(NAMESPACE_PREFIX, t.tableId());
    return new Subjects(
        Templates.render(config.topicTemplate(), t.tableId()),
        AvroSchemas.keySchema(t, ns),
        config.envelope() == EnvelopeFormat.ROW ? AvroSchemas.rowSchema(t, ns) : AvroSchemas.envelopeSchema(t, ns));
  }

  private void check(SchemaRegistryClient registry, TableSchema t, String subject, Schema schema, List<String> out) {
    Optional<RegisteredSchema> latest = registry.latest(subject);
    if (latest.isEmpty()) {
      return; // a new subject: nothing to be incompatible with
    }
    Optional<CompatibilityLevel> current = registry.getCompatibility(subject);
    List<String> reasons;
    String level;
    if (current.equals(Optional.of(config.compatibility()))) {
      CompatibilityCheck c = registry.testCompatibility(subject, schema);
      reasons = c.compatible() ? List.of() : c.messages().isEmpty()
          ? SchemaChanges.explain(config.compatibility(), schema, latest.get().schema()) : c.messages();
      if (!c.compatible() && reasons.isEmpty()) {
        reasons = List.of("the registry gave no reason");
      }
      level = config.compatibility().name();
    } else {
      reasons = config.compatibility() == CompatibilityLevel.NONE
          ? List.of() : SchemaChanges.explain(config.compatibility(), schema, latest.get().schema());
      level = config.compatibility().name() + " (declared; the subject has "
          + current.map(Enum::name).orElse("the registry default") + ", which the pipeline would replace)";
    }
    if (!reasons.isEmpty()) {
      out.add("sink " + config.sinkName() + ": table " + t.tableId() + ": subject " + subject + " (latest version "
          + latest.get().version() + ", compatibility " + level + ") would refuse the table's schema: "
          + String.join("; ", reasons));
    }
  }

  /**
   * Adds the serialize and writer operators for the tables fixed by {@link #prepare}.
   *
   * @throws IllegalStateException if {@link #prepare} has not run, or ran for other tables
   */
  @Override
  public void attach(DataStream<ChangeEvent> events, List<TableSchema> tables) {
    if (targets == null) {
      throw new IllegalStateException("sink " + config.sinkName() + ": prepare(tables) must run before attach");
    }
    Set<Object> prepared = new LinkedHashSet<>();
    targets.forEach(t -> prepared.add(t.tableId()));
    for (TableSchema t : tables) {
      if (!prepared.contains(t.tableId())) {
        throw new IllegalStateException(
            "sink " + config.sinkName() + ": table " + t.tableId() + " was not passed to prepare(tables)");
      }
    }
    String name = config.sinkName();
    int parallelism = events.getParallelism();
    ChangeRecordSerializer serializer =
        new ChangeRecordSerializer(name, config.envelope(), config.tombstonesOnDelete(), targets);
    SingleOutputStreamOperator<KafkaOutput> records =
        events
            .process(
                new KafkaSerializeFunction(name, config.pipelineName(), serializer, config.errorMode(),
                    config.dlqTopic()),
                TypeInformation.of(KafkaOutput.class))
            .name("Kafka serialize (" + name + ")")
            .uid("tributary-" + name + "-serialize")
            .setParallelism(parallelism);
    records
        .sinkTo(buildKafkaSink())
        .name("Kafka writer (" + name + ")")
        .uid("tributary-" + name + "-writer")
        .setParallelism(parallelism);
  }

  /** Flink's KafkaSink for this sink's settings (producer properties, guarantee, transactional id prefix). */
  KafkaSink<KafkaOutput> buildKafkaSink() {
    Properties producer = new Properties();
    producer.putAll(config.producerProperties());
    producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(config.transactionTimeout().toMillis()));
    return KafkaSink.<KafkaOutput>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(new KafkaOutputSerializationSchema())
        .setDeliveryGuarantee(
            config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
                ? org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE
                : org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(config.transactionalIdPrefix())
        .build();
  }
}
