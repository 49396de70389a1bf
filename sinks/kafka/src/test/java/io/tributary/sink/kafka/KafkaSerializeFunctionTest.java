package io.tributary.sink.kafka;

import static io.tributary.sink.kafka.ChangeRecordSerializerTest.ENVELOPE;
import static io.tributary.sink.kafka.ChangeRecordSerializerTest.KEY;
import static io.tributary.sink.kafka.ChangeRecordSerializerTest.ORDERS;
import static io.tributary.sink.kafka.ChangeRecordSerializerTest.SOURCE;
import static io.tributary.sink.kafka.ChangeRecordSerializerTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ErrorMode;
import io.tributary.schema.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/** The serialize operator in a Flink MiniCluster (no Kafka): error modes and the metric group. */
class KafkaSerializeFunctionTest {

  private static final List<ChangeEvent> EVENTS =
      List.of(
          ChangeEvent.insert(ORDERS, row(1L, "ann", "1.00"), SOURCE, 1L),
          ChangeEvent.insert(ORDERS, row(2L, "bob", "123456.00"), SOURCE, 2L), // overflows decimal(5,2)
          ChangeEvent.delete(ORDERS, row(1L, "ann", "1.00"), SOURCE, 3L));

  @Test
  void kafkaOutputIsAFlinkPojo() {
    assertThat(TypeInformation.of(KafkaOutput.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void skipDropsTheBadChangeAndCounts() throws Exception {
    List<KafkaOutput> out = run(ErrorMode.SKIP, "kafka-7");

    assertThat(out).hasSize(3); // insert; delete + tombstone
    assertThat(out).allMatch(o -> o.getTopic().equals("shop.public.orders"));
    assertThat(out.get(2).isTombstone()).isTrue();
    assertThat(CapturingMetricReporter.count("tributary.sink.kafka-7.recordsWritten")).isEqualTo(2);
    assertThat(CapturingMetricReporter.count("tributary.sink.kafka-7.recordsSkipped")).isEqualTo(1);
  }

  @Test
  void dlqSendsTheRawChangeWithHeaders() throws Exception {
    List<KafkaOutput> out = run(ErrorMode.DLQ, "kafka-8");

    assertThat(out).extracting(KafkaOutput::getTopic)
        .containsExactly("shop.public.orders", "shop.dlq", "shop.public.orders", "shop.public.orders");
    KafkaOutput dlq = out.get(1);
    assertThat(dlq.getHeaders()).containsEntry("tributary.pipeline", "shop-orders")
        .containsEntry("tributary.table", "shop.public.orders")
        .containsEntry("tributary.stage", "SERIALIZE");
    assertThat(dlq.getHeaders().get("tributary.reason")).contains("column amount").contains("decimal(5,2)");
    assertThat(new String(dlq.getValue(), StandardCharsets.UTF_8)).contains("\"amount\":\"123456.00\"");
    assertThat(CapturingMetricReporter.count("tributary.sink.kafka-8.recordsDeadLettered")).isEqualTo(1);
    assertThat(CapturingMetricReporter.count("tributary.sink.kafka-8.recordsWritten")).isEqualTo(2);
  }

  @Test
  void failFailsTheJobNamingTableColumnAndStage() {
    assertThatThrownBy(() -> run(ErrorMode.FAIL, "kafka-9"))
        .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, ChangeSerializationException.class))
            .hasValueSatisfying(c -> assertThat(c.getMessage())
                .contains("Stage SERIALIZE failed for table shop.public.orders")
                .contains("column amount")));
  }

  private static List<KafkaOutput> run(ErrorMode mode, String sinkName) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("metrics.reporter.capture.factory.class", CapturingMetricReporter.class.getName());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
    TableTarget t =
        new TableTarget(ORDERS, "shop.public.orders", "shop.public.orders-key", "shop.public.orders-value",
            KEY.toString(), ENVELOPE.toString(), 11, 12);
    ChangeRecordSerializer serializer = new ChangeRecordSerializer(sinkName, EnvelopeFormat.DEBEZIUM, true, List.of(t));
    DataStream<KafkaOutput> out =
        env.fromData(EVENTS, TypeInformation.of(ChangeEvent.class))
            .process(new KafkaSerializeFunction(sinkName, "shop-orders", serializer, mode,
                mode == ErrorMode.DLQ ? "shop.dlq" : null), TypeInformation.of(KafkaOutput.class));
    if (mode == ErrorMode.FAIL) {
      out.sinkTo(new DiscardingSink<>());
      env.execute("serialize-" + mode);
      return List.of();
    }
    try (CloseableIterator<KafkaOutput> it = out.executeAndCollect("serialize-" + mode)) {
      List<KafkaOutput> all = new java.util.ArrayList<>();
      it.forEachRemaining(all::add);
      return all;
    }
  }
}
