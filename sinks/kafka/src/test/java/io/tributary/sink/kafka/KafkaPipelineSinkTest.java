package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** What the sink checks before it talks to Kafka or the registry. */
class KafkaPipelineSinkTest {

  private final KafkaPipelineSink sink =
      (KafkaPipelineSink)
          new KafkaSinkFactory()
              .createSink(
                  KafkaSinkFactoryTest.context(
                      KafkaSinkFactoryTest.options(
                          Map.of("bootstrap.servers", "127.0.0.1:1", "topic", "shop.${schema}.${table}")),
                      DeliveryGuarantee.EXACTLY_ONCE,
                      new ErrorSettings(ErrorMode.FAIL, null)));

  @Test
  void tableWithoutPrimaryKeyFailsBeforeAnyRegistration() {
    TableSchema noKey =
        new TableSchema(
            new TableId("shop", "public", "audit_log"),
            List.of(Column.of("message", ColumnKind.STRING, true, "text")),
            List.of());

    assertThatThrownBy(() -> sink.prepare(List.of(ChangeRecordSerializerTest.SCHEMA, noKey)))
        .isInstanceOf(KafkaSinkException.class)
        .hasMessageContaining("table shop.public.audit_log has no primary key")
        .hasMessageContaining("kafka-1");
    assertThat(sink.targets()).isNull();
  }

  @Test
  void attachBeforePrepareIsRefused() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    var events =
        env.fromData(
            List.of(ChangeEvent.insert(ChangeRecordSerializerTest.ORDERS,
                ChangeRecordSerializerTest.row(1L, "a", "1.00"), ChangeRecordSerializerTest.SOURCE, 1L)),
            TypeInformation.of(ChangeEvent.class));

    assertThatThrownBy(() -> sink.attach(events, List.of(ChangeRecordSerializerTest.SCHEMA)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prepare(tables) must run before attach");
  }
}
