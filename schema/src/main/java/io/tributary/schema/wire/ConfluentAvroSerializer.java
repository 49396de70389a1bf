package io.tributary.schema.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Serializes Avro records into the {@link ConfluentWireFormat} (magic byte 0, 4-byte big-endian schema id, Avro
 * binary encoding).
 *
 * <p>Keeps one {@link GenericDatumWriter} per schema (by identity: pass the same schema instance for every record
 * of a table) and reuses its output buffer and {@link BinaryEncoder}, so a record costs one byte array. Writes
 * physical Avro values (no logical-type conversions), as produced by {@link io.tributary.schema.avro.AvroRecords}.
 *
 * <p>Not thread-safe: use one instance per thread (for example one per Flink subtask).
 */
public final class ConfluentAvroSerializer {
  private final Map<Schema, GenericDatumWriter<GenericRecord>> writers = new IdentityHashMap<>();
  private final Buffer out = new Buffer();
  private final GenericData data;
  private BinaryEncoder encoder;
  private Schema lastSchema;
  private GenericDatumWriter<GenericRecord> lastWriter;

  /** A serializer with Avro's plain {@link GenericData} (no logical-type conversions). */
  public ConfluentAvroSerializer() {
    this(GenericData.get());
  }

  /**
   * A serializer using the given data model (for example one with logical-type conversions registered).
   *
   * @throws NullPointerException if {@code data} is null
   */
  public ConfluentAvroSerializer(GenericData data) {
    this.data = java.util.Objects.requireNonNull(data, "data");
  }

  /**
   * Serializes one record.
   *
   * @param schemaId the registry's id of {@code schema}
   * @param schema the writer schema; must match the record
   * @param r the record, never null
   * @return a new array: header then Avro binary
   * @throws IllegalArgumentException if the record does not match the schema (a field of the wrong type, a null in
   *     a non-null field); the message names the schema
   */
  public byte[] serialize(int schemaId, Schema schema, GenericRecord r) {
    GenericDatumWriter<GenericRecord> writer = writer(schema);
    out.reset();
    out.write(ConfluentWireFormat.MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    try {
      writer.write(r, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // the encoder may hold part of a record: drop it
      encoder = null;
      throw new IllegalArgumentException(
          "cannot serialize a record with schema " + schema.getFullName() + " (id " + schemaId + "): " + e, e);
    }
    return out.toByteArray();
  }

  private GenericDatumWriter<GenericRecord> writer(Schema schema) {
    if (schema == lastSchema) {
      return lastWriter;
    }
    GenericDatumWriter<GenericRecord> w = writers.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, data));
    lastSchema = schema;
    lastWriter = w;
    return w;
  }

  /** A ByteArrayOutputStream without synchronization overhead concerns. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(256);
    }
  }
}
