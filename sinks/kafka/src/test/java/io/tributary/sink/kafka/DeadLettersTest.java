package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.config.Stage;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.InvalidValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    assertThat(json.has(DeadLetters.INVALID_COLUMNS)).as("no invalid value: the field is left out").isFalse();
  }

  @Test
  void invalidValuesAreWrittenAsTheirRawTextAndListed() throws Exception {
    Map<String, Object> after = ChangeRecordSerializerTest.row(8L, "bob", null);
    after.put("amount", new InvalidValue("table shop.public.orders column amount (numeric(10,2)): NaN is not a decimal",
        "NaN"));
    after.put("customer", new InvalidValue("no text form", null));
    ChangeEvent e = ChangeEvent.insert(ChangeRecordSerializerTest.ORDERS, after, ChangeRecordSerializerTest.SOURCE, 5L);

    KafkaOutput r = DeadLetters.record("shop.dlq", "shop-orders", e, Stage.VALIDATE, "NaN is not a decimal");

    JsonNode json = new ObjectMapper().readTree(r.getValue());
    assertThat(json.get("after").get("amount").isTextual()).isTrue();
    assertThat(json.get("after").get("amount").asText()).isEqualTo("NaN");
    assertThat(json.get("after").get("customer").isNull()).isTrue();
    assertThat(json.get("after").get("id").asLong()).isEqualTo(8L);
    assertThat(json.get(DeadLetters.INVALID_COLUMNS)).extracting(JsonNode::asText)
        .containsExactly("customer", "amount");
    assertThat(r.getHeaders()).containsEntry("tributary.stage", "VALIDATE");
  }

  @Test
  void explicitInvalidColumnsAreWrittenAsGiven() throws Exception {
    ChangeEvent e = ChangeEvent.delete(ChangeRecordSerializerTest.ORDERS,
        ChangeRecordSerializerTest.row(9L, null, "1.00"), ChangeRecordSerializerTest.SOURCE, 6L);

    KafkaOutput r = DeadLetters.record("d", "p", e, Stage.VALIDATE, "id is null", List.of("id"));

    JsonNode json = new ObjectMapper().readTree(r.getValue());
    assertThat(json.get("op").asText()).isEqualTo("d");
    assertThat(json.get("after").isNull()).isTrue();
    assertThat(json.get("before").get("amount").asText()).isEqualTo("1.00");
    assertThat(json.get(DeadLetters.INVALID_COLUMNS)).extracting(JsonNode::asText).containsExactly("id");
    assertThat(DeadLetters.record("d", "p", e, Stage.VALIDATE, "r", List.of()).getValue())
        .isEqualTo(DeadLetters.toJson(e));
  }
}
