package io.tributary.source.debezium;

import io.tributary.schema.Op;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/** Reading Debezium's change event envelope (the value Struct of a change record with {@code op}, {@code source}). */
public final class DebeziumEnvelope {
  private DebeziumEnvelope() {}

  /**
   * The {@link Op} of an envelope's {@code op} code: {@code r}, {@code c}, {@code u}, {@code d}.
   *
   * @param code the code, may be null
   * @return the op, or null for null and for codes that are no row change ({@code t} truncate, {@code m} message)
   */
  public static Op op(String code) {
    if (code == null) {
      return null;
    }
    switch (code) {
      case "r":
        return Op.READ;
      case "c":
        return Op.CREATE;
      case "u":
        return Op.UPDATE;
      case "d":
        return Op.DELETE;
      default:
        return null; // "t" truncate, "m" message
    }
  }

  /**
   * The value of a field that a struct's schema may lack.
   *
   * @return the value, or null when the schema has no such field or the value is null
   */
  public static Object optional(Struct struct, String field) {
    return struct.schema().field(field) == null ? null : struct.get(field);
  }
}
