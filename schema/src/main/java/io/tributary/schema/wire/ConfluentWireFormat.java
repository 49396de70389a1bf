package io.tributary.schema.wire;

/**
 * The Confluent Schema Registry wire format of a serialized Kafka key or value: byte 0 is the magic byte {@code 0},
 * bytes 1-4 are the schema id as a big-endian signed 32-bit int, and the Avro binary encoding of the datum follows
 * (source: Confluent Schema Registry documentation, "Wire format").
 *
 * <p>Stateless helpers; see {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} for the Avro
 * part.
 */
public final class ConfluentWireFormat {
  /** The magic byte that starts every message in this format. */
  public static final byte MAGIC_BYTE = 0;
  /** Bytes before the Avro payload: the magic byte and the 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /**
   * The schema id of a message.
   *
   * @param message a message in the wire format, never null
   * @return the schema id (bytes 1-4, big-endian)
   * @throws IllegalArgumentException if the message is shorter than {@value #HEADER_SIZE} bytes or does not start
   *     with the magic byte 0 (the message says which)
   * @throws NullPointerException if {@code message} is null
   */
  public static int schemaId(byte[] message) {
    checkHeader(message);
    return readId(message);
  }

  /**
   * Writes the 5-byte header (magic byte and big-endian schema id) into {@code target} at {@code offset}.
   *
   * @throws IndexOutOfBoundsException if fewer than {@value #HEADER_SIZE} bytes are left at {@code offset}
   */
  public static void writeHeader(byte[] target, int offset, int schemaId) {
    if (offset < 0 || target.length - offset < HEADER_SIZE) {
      throw new IndexOutOfBoundsException(
          "need " + HEADER_SIZE + " bytes at offset " + offset + " of a " + target.length + "-byte array");
    }
    target[offset] = MAGIC_BYTE;
    target[offset + 1] = (byte) (schemaId >>> 24);
    target[offset + 2] = (byte) (schemaId >>> 16);
    target[offset + 3] = (byte) (schemaId >>> 8);
    target[offset + 4] = (byte) schemaId;
  }

  /**
   * A 5-byte header for a schema id (magic byte 0, id big-endian).
   */
  public static byte[] header(int schemaId) {
    byte[] out = new byte[HEADER_SIZE];
    writeHeader(out, 0, schemaId);
    return out;
  }

  /**
   * Checks that a message has the wire-format header.
   *
   * @throws IllegalArgumentException if it is too short or the magic byte is not 0
   * @throws NullPointerException if {@code message} is null
   */
  public static void checkHeader(byte[] message) {
    if (message.length < HEADER_SIZE) {
      throw new IllegalArgumentException(
          "not a Confluent wire-format message: " + message.length + " bytes, at least " + HEADER_SIZE
              + " needed (magic byte 0 + 4-byte schema id)");
    }
    if (message[0] != MAGIC_BYTE) {
      throw new IllegalArgumentException(
          "not a Confluent wire-format message: first byte is " + (message[0] & 0xff) + ", expected magic byte "
              + MAGIC_BYTE);
    }
  }

  static int readId(byte[] m) {
    return ((m[1] & 0xff) << 24) | ((m[2] & 0xff) << 16) | ((m[3] & 0xff) << 8) | (m[4] & 0xff);
  }
}
