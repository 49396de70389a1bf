package io.tributary.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.avro.AvroSchemas;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import io.tributary.schema.wire.ConfluentWireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ChangeRecordSerializerTest {
  static final TableId ORDERS = new TableId("shop", "public", "orders");
  static final TableSchema SCHEMA =
      new TableSchema(
          ORDERS,
          List.of(
              Column.of("id", ColumnKind.INT64, false, "bigint"),
              Column.of("customer", ColumnKind.STRING, true, "text"),
              new Column("amount", ColumnKind.DECIMAL, true, 5, 2, "numeric(5,2)")),
          List.of("id"));
  static final String NS = AvroSchemas.namespace("tributary", ORDERS);
  static final Schema KEY = AvroSchemas.keySchema(SCHEMA, NS);
  static final Schema ENVELOPE = AvroSchemas.envelopeSchema(SCHEMA, NS);
  static final Schema ROW = AvroSchemas.rowSchema(SCHEMA, NS);

  static final SourceInfo SOURCE =
      SourceInfo.builder().connector("postgresql").name("shop-orders").table(ORDERS).tsMs(1_700_000_000_000L)
          .lsn(4242L).txId(7L).ordering(4242L).build();

  private final Map<Integer, Schema> registry = Map.of(11, KEY, 12, ENVELOPE, 13, ROW);
  private final ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer(registry::get);

  @Test
  void insertIsKeyAndEnvelopeInWireFormat() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);

    List<KafkaOutput> out = s.serialize(ChangeEvent.insert(ORDERS, row(1L, "ann", "12.50"), SOURCE, 1_700_000_000_123L));

    assertThat(out).hasSize(1);
    KafkaOutput r = out.get(0);
    assertThat(r.getTopic()).isEqualTo("shop.public.orders");
    assertThat(ConfluentWireFormat.schemaId(r.getKey())).isEqualTo(11);
    assertThat(ConfluentWireFormat.schemaId(r.getValue())).isEqualTo(12);
    assertThat(AvroRecords.toImage(decoder.deserialize(r.getKey()))).containsExactly(Map.entry("id", 1L));
    GenericRecord env = decoder.deserialize(r.getValue());
    assertThat(env.get("op").toString()).isEqualTo("c");
    assertThat(env.get("before")).isNull();
    assertThat(AvroRecords.toImage((GenericRecord) env.get("after"))).isEqualTo(row(1L, "ann", "12.50"));
    assertThat(env.get("ts_ms")).isEqualTo(1_700_000_000_123L);
    assertThat(AvroRecords.toSource((GenericRecord) env.get("source"))).isEqualTo(SOURCE);
  }

  @Test
  void updateCarriesBothImages() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);

    List<KafkaOutput> out =
        s.serialize(ChangeEvent.update(ORDERS, row(2L, "bob", "1.00"), row(2L, "bob", "2.00"), SOURCE, 5L));

    assertThat(out).hasSize(1);
    ChangeEvent back = AvroRecords.toChangeEvent(decoder.deserialize(out.get(0).getValue()));
    assertThat(back).isEqualTo(ChangeEvent.update(ORDERS, row(2L, "bob", "1.00"), row(2L, "bob", "2.00"), SOURCE, 5L));
  }

  @Test
  void deleteIsFollowedByATombstoneWithTheSameKey() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);

    List<KafkaOutput> out = s.serialize(ChangeEvent.delete(ORDERS, row(3L, null, null), SOURCE, 9L));

    assertThat(out).hasSize(2);
    GenericRecord env = decoder.deserialize(out.get(0).getValue());
    assertThat(env.get("op").toString()).isEqualTo("d");
    assertThat(env.get("after")).isNull();
    assertThat(AvroRecords.toImage((GenericRecord) env.get("before"))).isEqualTo(row(3L, null, null));
    assertThat(out.get(1).isTombstone()).isTrue();
    assertThat(out.get(1).getTopic()).isEqualTo("shop.public.orders");
    assertThat(out.get(1).getKey()).isEqualTo(out.get(0).getKey());
    assertThat(AvroRecords.toImage(decoder.deserialize(out.get(1).getKey()))).containsExactly(Map.entry("id", 3L));
  }

  @Test
  void deleteWithoutTombstonesIsTheEnvelopeOnly() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, false);

    List<KafkaOutput> out = s.serialize(ChangeEvent.delete(ORDERS, row(3L, null, null), SOURCE, 9L));

    assertThat(out).hasSize(1);
    assertThat(out.get(0).isTombstone()).isFalse();
  }

  @Test
  void rowEnvelopeWritesTheFlatAfterImageAndDeletesAsTombstonesOnly() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.ROW, false);

    List<KafkaOutput> upsert = s.serialize(ChangeEvent.read(ORDERS, row(4L, "cy", "0.01"), SOURCE, 1L));
    List<KafkaOutput> delete = s.serialize(ChangeEvent.delete(ORDERS, row(4L, "cy", "0.01"), SOURCE, 2L));

    assertThat(upsert).hasSize(1);
    assertThat(ConfluentWireFormat.schemaId(upsert.get(0).getValue())).isEqualTo(13);
    GenericRecord value = decoder.deserialize(upsert.get(0).getValue());
    assertThat(value.getSchema().getName()).isEqualTo("Value");
    assertThat(AvroRecords.toImage(value)).isEqualTo(row(4L, "cy", "0.01"));
    assertThat(delete).hasSize(1);
    assertThat(delete.get(0).isTombstone()).isTrue();
    assertThat(delete.get(0).getKey()).isEqualTo(upsert.get(0).getKey());
  }

  @Test
  void decimalOverflowNamesStageTableAndColumn() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);

    assertThatThrownBy(() -> s.serialize(ChangeEvent.insert(ORDERS, row(5L, "dee", "123456.00"), SOURCE, 1L)))
        .isInstanceOfSatisfying(ChangeSerializationException.class, e -> assertThat(e.tableId()).isEqualTo(ORDERS))
        .hasMessageContaining("Stage SERIALIZE")
        .hasMessageContaining("table shop.public.orders")
        .hasMessageContaining("column amount")
        .hasMessageContaining("decimal(5,2)");
  }

  @Test
  void unknownTableFailsAtSerialize() {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);
    TableId other = new TableId("shop", "public", "other");

    assertThatThrownBy(() -> s.serialize(ChangeEvent.insert(other, row(1L, "x", "1.00"), SOURCE, 1L)))
        .isInstanceOf(ChangeSerializationException.class)
        .hasMessageContaining("Stage SERIALIZE failed for table shop.public.other")
        .hasMessageContaining("not prepared");
  }

  @Test
  void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
    ChangeRecordSerializer s = serializer(EnvelopeFormat.DEBEZIUM, true);
    s.serialize(ChangeEvent.insert(ORDERS, row(1L, "ann", "1.00"), SOURCE, 1L));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(s);
    }
    ChangeRecordSerializer copy;
    try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ChangeRecordSerializer) i.readObject();
    }

    List<KafkaOutput> out = copy.serialize(ChangeEvent.insert(ORDERS, row(1L, "ann", "1.00"), SOURCE, 1L));
    assertThat(out).containsExactlyElementsOf(s.serialize(ChangeEvent.insert(ORDERS, row(1L, "ann", "1.00"), SOURCE, 1L)));
  }

  private ChangeRecordSerializer serializer(EnvelopeFormat format, boolean tombstones) {
    Schema value = format == EnvelopeFormat.ROW ? ROW : ENVELOPE;
    int valueId = format == EnvelopeFormat.ROW ? 13 : 12;
    TableTarget t =
        new TableTarget(ORDERS, "shop.public.orders", "shop.public.orders-key", "shop.public.orders-value",
            KEY.toString(), value.toString(), 11, valueId);
    return new ChangeRecordSerializer("kafka-0", format, tombstones, List.of(t));
  }

  static Map<String, Object> row(long id, String customer, String amount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("customer", customer);
    m.put("amount", amount == null ? null : new BigDecimal(amount));
    return m;
  }
}
