package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineSettings;
import io.tributary.config.SchemaSettings;
import io.tributary.config.SinkDefinition;
import io.tributary.config.SourceDefinition;
import io.tributary.config.spi.SinkContext;
import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import io.tributary.schema.wire.ConfluentWireFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka sink against a real Kafka 3.9.2 broker and Apicurio Registry 3.0.9, with Flink MiniCluster jobs:
 * every record is read back with {@code isolation.level=read_committed} and decoded through the registry.
 */
class KafkaSinkITCase {
  static final TableId ORDERS = new TableId("shop", "public", "orders");
  static final TableId ITEMS = new TableId("shop", "public", "order_items");
  static final TableSchema ORDERS_SCHEMA =
      new TableSchema(
          ORDERS,
          List.of(
              Column.of("id", ColumnKind.INT64, false, "bigint"),
              Column.of("customer", ColumnKind.STRING, true, "text"),
              new Column("amount", ColumnKind.DECIMAL, true, 10, 2, "numeric(10,2)"),
              Column.of("created_at", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamptz"),
              Column.of("tracking", ColumnKind.UUID, true, "uuid")),
          List.of("id"));
  static final TableSchema ITEMS_SCHEMA =
      new TableSchema(
          ITEMS,
          List.of(
              Column.of("order_id", ColumnKind.INT64, false, "bigint"),
              Column.of("line", ColumnKind.INT32, false, "integer"),
              Column.of("sku", ColumnKind.STRING, false, "text")),
          List.of("order_id", "line"));

  static EmbeddedKafka kafka;
  static EmbeddedApicurio apicurio;
  static SchemaRegistryClient registry;

  /** Fails the job once (the first time the marked change passes), to force a restart from a checkpoint. */
  static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
  static final AtomicInteger PASSED = new AtomicInteger();

  @BeforeAll
  static void startServices() {
    kafka = EmbeddedKafka.start();
    apicurio = EmbeddedApicurio.start();
    registry = new SchemaRegistryClient(apicurio.ccompatUrl());
  }

  @AfterAll
  static void stopServices() {
    if (apicurio != null) {
      apicurio.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void exactlyOnceDebeziumEnvelopeWithTombstonesAndDeadLetters() throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("topic", "it1.${schema}.${table}");
    options.put("topic.partitions", "3");
    options.put("properties.linger.ms", "5");
    KafkaPipelineSink sink =
        sink(options, DeliveryGuarantee.EXACTLY_ONCE, CompatibilityLevel.FULL, new ErrorSettings(ErrorMode.DLQ, "it1.dlq"));
    sink.prepare(List.of(ORDERS_SCHEMA, ITEMS_SCHEMA));

    String uuid = UUID.randomUUID().toString();
    ChangeEvent r1 = ChangeEvent.read(ORDERS, order(1, "ann", "10.00", 1_700_000_000_000_001L, uuid), source(ORDERS, 0, true), 101);
    ChangeEvent r2 = ChangeEvent.read(ORDERS, order(2, "bob", "20.00", null, null), source(ORDERS, 0, true), 102);
    ChangeEvent c1 = ChangeEvent.insert(ITEMS, item(1, 1, "sku-a"), source(ITEMS, 10, false), 103);
    ChangeEvent c3 = ChangeEvent.insert(ORDERS, order(3, null, null, null, null), source(ORDERS, 11, false), 104);
    ChangeEvent u1 =
        ChangeEvent.update(ORDERS, order(1, "ann", "10.00", 1_700_000_000_000_001L, uuid),
            order(1, "ann", "11.50", 1_700_000_000_000_001L, uuid), source(ORDERS, 12, false), 105);
    ChangeEvent d2 = ChangeEvent.delete(ORDERS, order(2, "bob", "20.00", null, null), source(ORDERS, 13, false), 106);
    ChangeEvent bad = ChangeEvent.insert(ORDERS, order(4, "dee", "123456789012.00", null, null), source(ORDERS, 14, false), 107);
    ChangeEvent u11 = ChangeEvent.update(ITEMS, item(1, 1, "sku-a"), item(1, 1, "sku-b"), source(ITEMS, 15, false), 108);
    ChangeEvent d11 = ChangeEvent.delete(ITEMS, item(1, 1, "sku-b"), source(ITEMS, 16, false), 109);
    ChangeEvent c5 = ChangeEvent.insert(ORDERS, order(5, "eve", "5.00", null, null), source(ORDERS, 17, false), 110);
    List<ChangeEvent> events = List.of(r1, r2, c1, c3, u1, d2, bad, u11, d11, c5);

    FAILED_ONCE.set(false);
    PASSED.set(0);
    runJob(sink, List.of(ORDERS_SCHEMA, ITEMS_SCHEMA), events, 6);
    assertThat(FAILED_ONCE).as("the job failed once and recovered").isTrue();

    String ordersTopic = "it1.public.orders";
    String itemsTopic = "it1.public.order_items";
    List<ConsumerRecord<byte[], byte[]>> orders = consume(ordersTopic, 7, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> items = consume(itemsTopic, 4, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> dlq = consume("it1.dlq", 1, "read_committed");

    ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer(registry::getById);
    // Per message key, in partition order: every change exactly once, deletes followed by tombstones.
    Map<Map<String, Object>, List<Object>> byKey = byKey(orders, decoder);
    assertThat(byKey).containsOnlyKeys(Map.of("id", 1L), Map.of("id", 2L), Map.of("id", 3L), Map.of("id", 5L));
    assertThat(byKey.get(Map.of("id", 1L))).containsExactly(r1, u1);
    assertThat(byKey.get(Map.of("id", 2L))).containsExactly(r2, d2, "tombstone");
    assertThat(byKey.get(Map.of("id", 3L))).containsExactly(c3);
    assertThat(byKey.get(Map.of("id", 5L))).containsExactly(c5);
    Map<Map<String, Object>, List<Object>> itemsByKey = byKey(items, decoder);
    assertThat(itemsByKey).containsOnlyKeys(Map.of("order_id", 1L, "line", 1));
    assertThat(itemsByKey.get(Map.of("order_id", 1L, "line", 1))).containsExactly(c1, u11, d11, "tombstone");

    // Partitioned by the key bytes (the producer's default partitioner), 3 partitions as configured.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of(ordersTopic)).allTopicNames().get().get(ordersTopic).partitions())
          .hasSize(3);
    }
    for (ConsumerRecord<byte[], byte[]> r : orders) {
      assertThat(r.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(r.key())) % 3);
    }

    // Schema ids in the records are the ones prepare registered; subjects exist with the pipeline's compatibility.
    TableTarget ordersTarget = sink.targets().get(0);
    assertThat(ordersTarget.topic()).isEqualTo(ordersTopic);
    for (ConsumerRecord<byte[], byte[]> r : orders) {
      assertThat(ConfluentWireFormat.schemaId(r.key())).isEqualTo(ordersTarget.keySchemaId());
      if (r.value() != null) {
        assertThat(ConfluentWireFormat.schemaId(r.value())).isEqualTo(ordersTarget.valueSchemaId());
      }
    }
    assertThat(registry.subjects())
        .contains(ordersTopic + "-key", ordersTopic + "-value", itemsTopic + "-key", itemsTopic + "-value");
    for (String subject : List.of(ordersTopic + "-key", ordersTopic + "-value", itemsTopic + "-key", itemsTopic + "-value")) {
      assertThat(registry.getCompatibility(subject)).as(subject).contains(CompatibilityLevel.FULL);
    }
    assertThat(registry.latest(ordersTopic + "-value").orElseThrow().schema().getFullName())
        .isEqualTo("tributary.shop.public.orders.Envelope");

    // The change that overflowed decimal(10,2) went to the dead-letter topic as JSON, with headers.
    assertThat(dlq).hasSize(1);
    ConsumerRecord<byte[], byte[]> dead = dlq.get(0);
    assertThat(header(dead, "tributary.pipeline")).isEqualTo("shop-orders");
    assertThat(header(dead, "tributary.table")).isEqualTo("shop.public.orders");
    assertThat(header(dead, "tributary.stage")).isEqualTo("SERIALIZE");
    assertThat(header(dead, "tributary.reason")).contains("column amount").contains("decimal(10,2)");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8))
        .contains("\"op\":\"c\"")
        .contains("\"amount\":\"123456789012.00\"")
        .contains("\"customer\":\"dee\"");
  }

  @Test
  void atLeastOnceRowEnvelopeWritesAfterImagesAndDeletesAsTombstones() throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("topic", "it2.${table}");
    options.put("envelope", "row");
    KafkaPipelineSink sink =
        sink(options, DeliveryGuarantee.AT_LEAST_ONCE, CompatibilityLevel.BACKWARD, new ErrorSettings(ErrorMode.FAIL, null));
    sink.prepare(List.of(ORDERS_SCHEMA));

    ChangeEvent c = ChangeEvent.insert(ORDERS, order(10, "fay", "1.00", null, null), source(ORDERS, 1, false), 1);
    ChangeEvent u = ChangeEvent.update(ORDERS, null, order(10, "fay", "2.00", null, null), source(ORDERS, 2, false), 2);
    ChangeEvent d = ChangeEvent.delete(ORDERS, order(10, "fay", "2.00", null, null), source(ORDERS, 3, false), 3);
    FAILED_ONCE.set(true); // no injected failure
    runJob(sink, List.of(ORDERS_SCHEMA), List.of(c, u, d), -1);

    List<ConsumerRecord<byte[], byte[]>> records = consume("it2.orders", 3, "read_committed");
    ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer(registry::getById);
    assertThat(records).hasSize(3);
    assertThat(records).allSatisfy(r ->
        assertThat(AvroRecords.toImage(decoder.deserialize(r.key()))).isEqualTo(Map.of("id", 10L)));
    GenericRecord first = decoder.deserialize(records.get(0).value());
    assertThat(first.getSchema().getFullName()).isEqualTo("tributary.shop.public.orders.Value");
    assertThat(AvroRecords.toImage(first)).isEqualTo(c.after());
    assertThat(AvroRecords.toImage(decoder.deserialize(records.get(1).value()))).isEqualTo(u.after());
    assertThat(records.get(2).value()).as("a delete in the row envelope is a tombstone only").isNull();
    assertThat(registry.getCompatibility("it2.orders-value")).contains(CompatibilityLevel.BACKWARD);
  }

  @Test
  void incompatibleSchemaChangeFailsPrepareNamingTableSubjectLevelAndReason() {
    Map<String, String> options = Map.of("topic", "it3.${schema}.${table}");
    KafkaPipelineSink first =
        sink(options, DeliveryGuarantee.EXACTLY_ONCE, CompatibilityLevel.BACKWARD, new ErrorSettings(ErrorMode.FAIL, null));
    first.prepare(List.of(ORDERS_SCHEMA));

    // Preparing the same tables again is idempotent: same ids.
    KafkaPipelineSink again =
        sink(options, DeliveryGuarantee.EXACTLY_ONCE, CompatibilityLevel.BACKWARD, new ErrorSettings(ErrorMode.FAIL, null));
    again.prepare(List.of(ORDERS_SCHEMA));
    assertThat(again.targets()).isEqualTo(first.targets());

    // customer changes from string to bigint: readers on the new schema cannot read the old data (BACKWARD).
    TableSchema changed =
        new TableSchema(
            ORDERS,
            List.of(
                Column.of("id", ColumnKind.INT64, false, "bigint"),
                Column.of("customer", ColumnKind.INT64, true, "bigint"),
                new Column("amount", ColumnKind.DECIMAL, true, 10, 2, "numeric(10,2)"),
                Column.of("created_at", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamptz"),
                Column.of("tracking", ColumnKind.UUID, true, "uuid")),
            List.of("id"));
    KafkaPipelineSink third =
        sink(options, DeliveryGuarantee.EXACTLY_ONCE, CompatibilityLevel.BACKWARD, new ErrorSettings(ErrorMode.FAIL, null));
    assertThatThrownBy(() -> third.prepare(List.of(changed)))
        .isInstanceOf(KafkaSinkException.class)
        .hasMessageContaining("Table shop.public.orders")
        .hasMessageContaining("subject it3.public.orders-value")
        .hasMessageContaining("compatibility level BACKWARD")
        .hasMessageContaining("40901")
        .hasMessageContaining("customer");
    assertThat(third.targets()).isNull();
  }

  @Test
  void transactionTimeoutAboveTheBrokerLimitFailsPrepare() {
    Map<String, String> options = Map.of("topic", "it4.${table}", "transaction.timeout", "1h");
    KafkaPipelineSink sink =
        sink(options, DeliveryGuarantee.EXACTLY_ONCE, CompatibilityLevel.BACKWARD, new ErrorSettings(ErrorMode.FAIL, null));

    assertThatThrownBy(() -> sink.prepare(List.of(ORDERS_SCHEMA)))
        .isInstanceOf(KafkaSinkException.class)
        .hasMessageContaining("transaction.timeout 1h exceeds the broker's transaction.max.timeout.ms (900000 ms)");
  }

  // ---------------------------------------------------------------------------------------------------------

  private static void runJob(KafkaPipelineSink sink, List<TableSchema> tables, List<ChangeEvent> events, int failAt) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(200);

    ArrayList<ChangeEvent> data = new ArrayList<>(events);
    HashMap<TableId, List<String>> keys = new HashMap<>();
    for (TableSchema t : tables) {
      keys.put(t.tableId(), new ArrayList<>(t.primaryKey()));
    }
    GeneratorFunction<Long, ChangeEvent> generator = i -> data.get(i.intValue());
    DataGeneratorSource<ChangeEvent> source =
        new DataGeneratorSource<>(generator, data.size(), RateLimiterStrategy.perSecond(8),
            TypeInformation.of(ChangeEvent.class));
    DataStream<ChangeEvent> stream =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "changes")
            .setParallelism(1)
            .keyBy(e -> e.tableId() + "/" + keyValues(e, keys.get(e.tableId())))
            .map(new FailOnce(failAt), TypeInformation.of(ChangeEvent.class))
            .name("route")
            .setParallelism(2);
    sink.attach(stream, tables);
    env.execute("kafka-sink-it");
  }

  private static String keyValues(ChangeEvent e, List<String> pk) {
    StringBuilder sb = new StringBuilder();
    for (String c : pk) {
      sb.append(e.keyImage().get(c)).append('/');
    }
    return sb.toString();
  }

  /** Passes changes through; throws once when the {@code failAt}-th change (1-based, over all subtasks) passes. */
  static final class FailOnce implements MapFunction<ChangeEvent, ChangeEvent> {
    private final int failAt;

    FailOnce(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public ChangeEvent map(ChangeEvent e) {
      if (failAt > 0 && PASSED.incrementAndGet() >= failAt && FAILED_ONCE.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure to test recovery");
      }
      return e;
    }
  }

  private static Map<Map<String, Object>, List<Object>> byKey(
      List<ConsumerRecord<byte[], byte[]>> records, ConfluentAvroDeserializer decoder) {
    Map<Map<String, Object>, List<Object>> out = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Map<String, Object> key = AvroRecords.toImage(decoder.deserialize(r.key()));
      Object value = r.value() == null ? "tombstone" : AvroRecords.toChangeEvent(decoder.deserialize(r.value()));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /**
   * Reads a topic from the beginning until {@code expected} records arrived (60 s at most), then one more second
   * to catch any extra (duplicate) record. Records come partition by partition, each in offset order.
   */
  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new java.util.TreeMap<>(
        java.util.Comparator.comparingInt(TopicPartition::partition));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + 60_000;
      int count = 0;
      long extraUntil = Long.MAX_VALUE;
      while (System.currentTimeMillis() < Math.min(deadline, extraUntil)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>()).add(r);
          count++;
        }
        if (count >= expected && extraUntil == Long.MAX_VALUE) {
          extraUntil = System.currentTimeMillis() + 1000;
        }
      }
    }
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    byPartition.values().forEach(all::addAll);
    return all;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static KafkaPipelineSink sink(
      Map<String, String> sinkOptions, DeliveryGuarantee guarantee, CompatibilityLevel compatibility,
      ErrorSettings errors) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", "kafka");
    m.put("bootstrap.servers", kafka.bootstrapServers());
    m.putAll(sinkOptions);
    Options o = Options.of("sinks[0]", m);
    PipelineDefinition p =
        new PipelineDefinition(
            new PipelineSettings("shop-orders", "team-commerce", 2, Duration.ofMillis(200), guarantee, null),
            new SourceDefinition("postgres", Options.of("source", Map.of())),
            new SchemaSettings(apicurio.ccompatUrl(), compatibility, "topic"),
            List.of(new SinkDefinition(0, "kafka", o)),
            errors,
            null);
    return (KafkaPipelineSink) new KafkaSinkFactory().createSink(new SinkContext(p, 0, o));
  }

  private static SourceInfo source(TableId t, long lsn, boolean snapshot) {
    return SourceInfo.builder().connector("postgresql").name("shop-orders").table(t).tsMs(snapshot ? 0 : 1_700_000_000_000L + lsn)
        .snapshot(snapshot).lsn(lsn).txId(snapshot ? null : 500 + lsn).ordering(lsn).build();
  }

  private static Map<String, Object> order(long id, String customer, String amount, Long createdAt, String uuid) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("customer", customer);
    m.put("amount", amount == null ? null : new BigDecimal(amount));
    m.put("created_at", createdAt);
    m.put("tracking", uuid);
    return m;
  }

  private static Map<String, Object> item(long orderId, int line, String sku) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order_id", orderId);
    m.put("line", line);
    m.put("sku", sku);
    return m;
  }
}
