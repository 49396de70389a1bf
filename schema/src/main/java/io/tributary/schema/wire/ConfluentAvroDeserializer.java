package io.tributary.schema.wire;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes messages in the {@link ConfluentWireFormat} to Avro {@link GenericRecord}s, looking writer schemas up by
 * id (for example with {@link io.tributary.schema.registry.SchemaRegistryClient#getById(int)}).
 *
 * <p>Readers are cached per schema id; the decoder is reused. Records hold Avro's physical values ({@link
 * org.apache.avro.util.Utf8} strings, {@link java.nio.ByteBuffer} bytes and decimals); {@link
 * io.tributary.schema.avro.AvroRecords#toImage} turns them into change-event values.
 *
 * <p>Not thread-safe (the decoder is reused): use one instance per thread.
 */
public final class ConfluentAvroDeserializer {
  private final Function<Integer, Schema> schemaById;
  private final Schema readerSchema;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private BinaryDecoder decoder;

  /**
   * A deserializer that reads each message with its writer schema.
   *
   * @param schemaById returns the schema registered under an id; may throw (its exception propagates)
   * @throws NullPointerException if {@code schemaById} is null
   */
  public ConfluentAvroDeserializer(Function<Integer, Schema> schemaById) {
    this(schemaById, null);
  }

  /**
   * A deserializer that resolves every message's writer schema to a reader schema (Avro schema resolution).
   *
   * @param schemaById returns the schema registered under an id
   * @param readerSchema the schema to read into, or null to read with the writer schema
   * @throws NullPointerException if {@code schemaById} is null
   */
  public ConfluentAvroDeserializer(Function<Integer, Schema> schemaById, Schema readerSchema) {
    this.schemaById = Objects.requireNonNull(schemaById, "schemaById");
    this.readerSchema = readerSchema;
  }

  /**
   * Decodes one message.
   *
   * @param message header then Avro binary, never null
   * @return the decoded record
   * @throws IllegalArgumentException if the header is wrong (see {@link ConfluentWireFormat#schemaId}), the
   *     schema id is unknown (null from the lookup) or the payload does not decode with the schema
   */
  public GenericRecord deserialize(byte[] message) {
    int id = ConfluentWireFormat.schemaId(message);
    GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, this::newReader);
    decoder =
        DecoderFactory.get()
            .binaryDecoder(message, ConfluentWireFormat.HEADER_SIZE, message.length - ConfluentWireFormat.HEADER_SIZE,
                decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "cannot decode a " + message.length + "-byte message with schema id " + id + " ("
              + reader.getSchema().getFullName() + "): " + e, e);
    }
  }

  /** The writer schema id of a message; same as {@link ConfluentWireFormat#schemaId(byte[])}. */
  public int schemaId(byte[] message) {
    return ConfluentWireFormat.schemaId(message);
  }

  private GenericDatumReader<GenericRecord> newReader(Integer id) {
    Schema writer = schemaById.apply(id);
    if (writer == null) {
      throw new IllegalArgumentException("schema id " + id + " is unknown to the schema lookup");
    }
    return new GenericDatumReader<>(writer, readerSchema == null ? writer : readerSchema, GenericData.get());
  }
}
