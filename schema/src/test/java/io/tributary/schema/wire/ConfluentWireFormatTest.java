package io.tributary.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {
  private static final Schema ORDER =
      SchemaBuilder.record("Value").namespace("t.orders").fields()
          .requiredLong("id")
          .optionalString("note")
          .endRecord();
  private static final Schema CUSTOMER =
      SchemaBuilder.record("Value").namespace("t.customers").fields().requiredString("name").endRecord();

  @Test
  void headerIsMagicZeroThenBigEndianId() {
    assertThat(ConfluentWireFormat.header(1)).containsExactly(0, 0, 0, 0, 1);
    assertThat(ConfluentWireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
    assertThat(ConfluentWireFormat.header(0x7FFFFFFE)).containsExactly(0, 0x7F, 0xFF, 0xFF, 0xFE);
    assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 1, 2, 3, 4})).isEqualTo(0x01020304);
    assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 0, 0, 1, 0, 42})).isEqualTo(256);
  }

  @Test
  void serializedMessageIsHeaderPlusPlainAvroBinary() throws IOException {
    GenericRecord r = order(42L, "hi");
    byte[] msg = new ConfluentAvroSerializer().serialize(0x00ABCDEF, ORDER, r);

    assertThat(msg[0]).isEqualTo((byte) 0);
    assertThat(Arrays.copyOfRange(msg, 1, 5)).containsExactly(0x00, 0xAB, 0xCD, 0xEF);
    assertThat(Arrays.copyOfRange(msg, 5, msg.length)).isEqualTo(plainAvro(ORDER, r));
    // id 42 zig-zag varint = 84 (0x54); union branch 1 = 0x02; string length 2 = 0x04; "hi"
    assertThat(Arrays.copyOfRange(msg, 5, msg.length)).containsExactly(0x54, 0x02, 0x04, 'h', 'i');
    assertThat(ConfluentWireFormat.schemaId(msg)).isEqualTo(0x00ABCDEF);
  }

  @Test
  void badMagicByteOrShortMessageFailsClearly() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first byte is 1")
        .hasMessageContaining("magic byte 0");
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {0, 0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes")
        .hasMessageContaining("at least 5");
    ConfluentAvroDeserializer d = new ConfluentAvroDeserializer(id -> ORDER);
    assertThatThrownBy(() -> d.deserialize(new byte[] {(byte) 0xFF, 0, 0, 0, 1, 2}))
        .hasMessageContaining("first byte is 255");
  }

  @Test
  void serializerAndDeserializerRoundTripWithSeveralSchemas() {
    Map<Integer, Schema> registry = Map.of(7, ORDER, 8, CUSTOMER);
    ConfluentAvroSerializer ser = new ConfluentAvroSerializer();
    ConfluentAvroDeserializer de = new ConfluentAvroDeserializer(registry::get);

    byte[] a = ser.serialize(7, ORDER, order(1L, null));
    GenericRecord c = new GenericData.Record(CUSTOMER);
    c.put("name", "Ada");
    byte[] b = ser.serialize(8, CUSTOMER, c);
    byte[] a2 = ser.serialize(7, ORDER, order(2L, "second"));

    // reused buffers must not leak into earlier results
    assertThat(de.deserialize(a).get("id")).isEqualTo(1L);
    assertThat(de.deserialize(a).get("note")).isNull();
    assertThat(de.deserialize(b).get("name").toString()).isEqualTo("Ada");
    GenericRecord second = de.deserialize(a2);
    assertThat(second.getSchema()).isEqualTo(ORDER);
    assertThat(second.get("id")).isEqualTo(2L);
    assertThat(second.get("note").toString()).isEqualTo("second");
  }

  @Test
  void unknownSchemaIdAndCorruptPayloadFailClearly() {
    ConfluentAvroDeserializer de = new ConfluentAvroDeserializer(Map.of(7, ORDER)::get);
    assertThatThrownBy(() -> de.deserialize(new byte[] {0, 0, 0, 0, 9, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema id 9");
    // a string length longer than the message
    assertThatThrownBy(() -> de.deserialize(new byte[] {0, 0, 0, 0, 7, 2, 2, 0x50}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema id 7");
  }

  @Test
  void recordNotMatchingTheSchemaFailsNamingIt() {
    GenericRecord r = new GenericData.Record(ORDER);
    r.put("note", "no id");
    ConfluentAvroSerializer ser = new ConfluentAvroSerializer();
    assertThatThrownBy(() -> ser.serialize(3, ORDER, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t.orders.Value")
        .hasMessageContaining("id 3");
    // the serializer stays usable after a failure
    byte[] ok = ser.serialize(3, ORDER, order(5L, null));
    assertThat(new ConfluentAvroDeserializer(id -> ORDER).deserialize(ok).get("id")).isEqualTo(5L);
  }

  private static GenericRecord order(long id, String note) {
    GenericRecord r = new GenericData.Record(ORDER);
    r.put("id", id);
    r.put("note", note);
    return r;
  }

  private static byte[] plainAvro(Schema s, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(s).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }
}
