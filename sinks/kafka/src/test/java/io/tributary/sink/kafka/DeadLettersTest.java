package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.config.Stage;
import io.tributary.schema.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void rawChangeAsJsonWithHeaders() throws Exception {
    ChangeEvent e =
        ChangeEvent.update(
            ChangeRecordSerializerTest.ORDERS,
            ChangeRecordSerializerTest.row(7L, "eve", "1.50"),
            ChangeRecordSerializerTest.row(7L, "eve", "99999.99"),
            ChangeRecordSerializerTest.SOURCE,
            123L);

    KafkaOutput r = DeadLetters.record("shop.dlq", "shop-orders", e, Stage.SERIALIZE, "value too wide");

    assertThat(r.getTopic()).isEqualTo("shop.dlq");
    assertThat(new String(r.getKey(), StandardCharsets.UTF_8)).isEqualTo("shop.public.orders");
    assertThat(r.getHeaders())
        .containsExactly(
            Map.entry("tributary.pipeline", "shop-orders"),
            Map.entry("tributary.table", "shop.public.orders"),
            Map.entry("tributary.stage", "SERIALIZE"),
            Map.entry("tributary.reason", "value too wide"));
    JsonNode json = new ObjectMapper().readTree(r.getValue());
    assertThat(json.get("table").asText()).isEqualTo("shop.public.orders");
    assertThat(json.get("op").asText()).isEqualTo("u");
    assertThat(json.get("ts_ms").asLong()).isEqualTo(123L);
    assertThat(json.get("before").get("amount").asText()).isEqualTo("1.50");
    assertThat(json.get("after").get("amount").asText()).isEqualTo("99999.99");
    assertThat(json.get("after").get("id").asLong()).isEqualTo(7L);
    assertThat(json.get("after").get("customer").asText()).isEqualTo("eve");
    assertThat(json.get("source").get("lsn").asLong()).isEqualTo(4242L);
    assertThat(json.get("source").get("connector").asText()).isEqualTo("postgresql");
  }
}
